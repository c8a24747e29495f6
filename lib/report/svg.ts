import { escapeHtml as esc } from '../http/html';

/**
 * Charts as inline SVG, pure functions from figures to markup: no script, no external resource, no
 * style attribute (the page's CSP allows only its one stylesheet), colours by class. Every chart has a
 * <title> and <desc> (role="img"); the page puts a data table beside it. Labels arrive formatted.
 */

export type Scale = ((value: number) => number) & { domain: [number, number]; range: [number, number] };

/** A linear map of `domain` onto `range`; a zero-width domain maps to the range's start. */
export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0))) as Scale;
  scale.domain = domain;
  scale.range = range;
  return scale;
}

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max + step * 1e-9; tick += step)
    ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

const n = (value: number) => (Number.isFinite(value) ? Number(value.toFixed(1)) : 0);

function frame(id: string, title: string, desc: string, width: number, height: number, body: string) {
  return (
    `<svg id="${id}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" ` +
    `aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="${id}-t">${esc(title)}</title><desc id="${id}-d">${esc(desc)}</desc>${body}</svg>`
  );
}

const text = (x: number, y: number, label: string, anchor = 'start', cls = 'lbl') =>
  `<text x="${n(x)}" y="${n(y)}" text-anchor="${anchor}" class="${cls}">${esc(label)}</text>`;
const line = (x1: number, y1: number, x2: number, y2: number, cls: string) =>
  `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" class="${cls}"/>`;
const rect = (x: number, y: number, w: number, h: number, cls: string) =>
  `<rect x="${n(x)}" y="${n(y)}" width="${n(Math.max(0, w))}" height="${n(Math.max(0, h))}" class="${cls}"/>`;
/** An axis label slanted under its bar, so long (German) words do not run into each other. */
const rotated = (x: number, y: number, label: string) =>
  `<text x="${n(x)}" y="${n(y)}" text-anchor="end" class="lbl small" transform="rotate(-30 ${n(x)} ${n(y)})">${esc(label)}</text>`;
const shorten = (label: string, max: number) => (label.length > max ? `${label.slice(0, max - 1)}…` : label);

type Common = { id: string; title: string; desc: string };

export type Bar = { label: string; value: number; display: string };

/** Horizontal bars (OEE by machine, Six Big Losses), with an optional reference line (85 %, a target). */
export function barChart(
  chart: Common & { bars: Bar[]; max?: number; references?: { value: number; label: string }[] },
): string {
  const width = 640;
  const rowHeight = 26;
  const top = 8;
  const left = 220;
  const right = 70;
  const height = top + chart.bars.length * rowHeight + 22;
  const max = Math.max(chart.max ?? 0, ...chart.bars.map((bar) => bar.value), 1e-9);
  const x = linearScale([0, max], [left, width - right]);
  let body = '';
  chart.bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    body += text(left - 8, y + 17, shorten(bar.label, 30), 'end');
    body += rect(left, y + 4, x(Math.max(0, bar.value)) - left, rowHeight - 8, 'bar');
    body += text(x(Math.max(0, bar.value)) + 6, y + 17, bar.display);
  });
  for (const reference of chart.references ?? []) {
    const at = x(Math.min(reference.value, max));
    body += line(at, top, at, height - 18, 'ref');
    body += text(at, height - 4, reference.label, 'middle', 'lbl small');
  }
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

export type ParetoItem = { label: string; value: number; cumShare: number; display: string };

/** Vertical bars, largest first, with the cumulative share as a line on a 0-100 % axis at the right. */
export function paretoChart(
  chart: Common & { items: ParetoItem[]; percentLabel: (share: number) => string },
) {
  const width = 640;
  const height = 300;
  const [left, right, top, bottom] = [48, 48, 12, 70];
  const max = Math.max(...chart.items.map((item) => item.value), 1e-9);
  const y = linearScale([0, max], [height - bottom, top]);
  const share = linearScale([0, 1], [height - bottom, top]);
  const slot = (width - left - right) / Math.max(1, chart.items.length);
  let body = line(left, height - bottom, width - right, height - bottom, 'axis');
  for (const tick of [0, 0.5, 0.8, 1]) {
    body += line(width - right, share(tick), width - right + 4, share(tick), 'axis');
    body += text(width - right + 6, share(tick) + 4, chart.percentLabel(tick), 'start', 'lbl small');
  }
  body += line(left, share(0.8), width - right, share(0.8), 'ref');
  const points: string[] = [];
  chart.items.forEach((item, index) => {
    const x0 = left + index * slot;
    body += rect(x0 + slot * 0.15, y(item.value), slot * 0.7, height - bottom - y(item.value), 'bar');
    body += text(x0 + slot / 2, y(item.value) - 4, item.display, 'middle', 'lbl small');
    body += rotated(x0 + slot / 2, height - bottom + 14, shorten(item.label, 18));
    points.push(`${n(x0 + slot / 2)},${n(share(item.cumShare))}`);
  });
  body += `<polyline points="${points.join(' ')}" class="cum"/>`;
  for (const point of points) {
    const [px, py] = point.split(',');
    body += `<circle cx="${px}" cy="${py}" r="3" class="cumdot"/>`;
  }
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

export type WaterfallStep = { label: string; minutes: number; kind: 'total' | 'loss'; display: string };

/** The loss waterfall: totals as full bars from zero, losses hanging from the previous total. */
export function waterfallChart(chart: Common & { steps: WaterfallStep[] }): string {
  const width = 640;
  const height = 280;
  const [left, right, top, bottom] = [60, 20, 16, 96];
  const max = Math.max(...chart.steps.map((step) => Math.abs(step.minutes)), 1e-9);
  const y = linearScale([0, max], [height - bottom, top]);
  const slot = (width - left - right) / Math.max(1, chart.steps.length);
  let level = 0;
  let body = line(left, height - bottom, width - right, height - bottom, 'axis');
  chart.steps.forEach((step, index) => {
    const x0 = left + index * slot + slot * 0.12;
    const w = slot * 0.76;
    let from: number;
    let to: number;
    if (step.kind === 'total') {
      [from, to] = [0, step.minutes];
      level = step.minutes;
    } else {
      [from, to] = [level + step.minutes, level];
      level += step.minutes;
    }
    body += rect(x0, y(to), w, y(from) - y(to), step.kind === 'total' ? 'bar' : 'loss');
    body += text(x0 + w / 2, y(to) - 4, step.display, 'middle', 'lbl small');
    body += rotated(x0 + w / 2, height - bottom + 14, shorten(step.label, 24));
  });
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

export type LinePoint = { label: string; value: number | null };

/** A trend over periods: a line through the values (gaps where a period has none), reference lines. */
export function lineChart(
  chart: Common & {
    points: LinePoint[];
    max?: number;
    axisLabel: (value: number) => string;
    references?: { value: number; label: string }[];
  },
): string {
  const width = 640;
  const height = 240;
  const [left, right, top, bottom] = [56, 16, 12, 44];
  const values = chart.points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const max = Math.max(chart.max ?? 0, ...values, ...(chart.references ?? []).map((r) => r.value), 1e-9);
  const y = linearScale([0, max], [height - bottom, top]);
  const x = linearScale([0, Math.max(1, chart.points.length - 1)], [left + 8, width - right - 8]);
  let body = '';
  for (const tick of niceTicks(0, max, 4)) {
    body += line(left, y(tick), width - right, y(tick), 'grid');
    body += text(left - 6, y(tick) + 4, chart.axisLabel(tick), 'end', 'lbl small');
  }
  for (const reference of chart.references ?? []) {
    body += line(left, y(reference.value), width - right, y(reference.value), 'ref');
    body += text(width - right, y(reference.value) - 4, reference.label, 'end', 'lbl small');
  }
  let path = '';
  chart.points.forEach((point, index) => {
    if (point.value === null) return;
    const previous = chart.points[index - 1];
    path += `${path === '' || !previous || previous.value === null ? 'M' : 'L'}${n(x(index))},${n(y(point.value))}`;
    body += `<circle cx="${n(x(index))}" cy="${n(y(point.value))}" r="3" class="dot"/>`;
  });
  body = `${body}<path d="${path}" class="trend"/>`;
  const every = Math.max(1, Math.ceil(chart.points.length / 8));
  chart.points.forEach((point, index) => {
    const last = index === chart.points.length - 1;
    // The last label too, unless it would run into the one before.
    if (index % every === 0 || (last && index % every >= every / 2))
      body += text(
        x(index),
        height - bottom + 16,
        shorten(point.label, 12),
        last ? 'end' : index === 0 ? 'start' : 'middle',
        'lbl small',
      );
  });
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

/** Machine x reason: a cell per pair, darker for more minutes (five classes, so it prints in grey too). */
export function heatmap(
  chart: Common & {
    rows: string[];
    columns: string[];
    values: number[][];
    display: (value: number) => string;
  },
): string {
  const cell = 44;
  const left = 150;
  const top = 96;
  const width = left + chart.columns.length * cell + 10;
  const height = top + chart.rows.length * cell + 10;
  const max = Math.max(...chart.values.flat(), 1e-9);
  let body = '';
  chart.columns.forEach((column, index) => {
    const cx = left + index * cell + cell / 2;
    body += `<text x="${n(cx)}" y="${top - 6}" class="lbl small" transform="rotate(-40 ${n(cx)} ${top - 6})">${esc(shorten(column, 16))}</text>`;
  });
  chart.rows.forEach((row, r) => {
    body += text(left - 6, top + r * cell + cell / 2 + 4, shorten(row, 20), 'end', 'lbl');
    chart.columns.forEach((_, c) => {
      const value = chart.values[r]?.[c] ?? 0;
      const level = value <= 0 ? 0 : Math.min(5, 1 + Math.floor((value / max) * 4.999));
      body += rect(left + c * cell, top + r * cell, cell - 2, cell - 2, `heat h${level}`);
      if (value > 0)
        body += text(
          left + c * cell + cell / 2 - 1,
          top + r * cell + cell / 2 + 4,
          chart.display(value),
          'middle',
          `lbl small${level >= 4 ? ' inv' : ''}`,
        );
    });
  });
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

/**
 * A control chart: points joined in order, centre line and control limits, spec limits if given, each
 * point that breaks a rule circled and labelled with the rule.
 */
export function controlChart(
  chart: Common & {
    values: number[];
    center: number | null;
    ucl: number | null;
    lcl: number | null;
    specs?: { lsl: number | null; usl: number | null };
    violations: { index: number; rule: string }[];
    axisLabel: (value: number) => string;
    lineLabels: { center: string; ucl: string; lcl: string; lsl: string; usl: string };
  },
): string {
  const width = 640;
  const height = 240;
  const [left, right, top, bottom] = [64, 48, 14, 24];
  const levels = [chart.center, chart.ucl, chart.lcl, chart.specs?.lsl ?? null, chart.specs?.usl ?? null];
  const all = [...chart.values, ...levels.flatMap((value) => (value === null ? [] : [value]))];
  let [min, max] = [Math.min(...all), Math.max(...all)];
  if (!Number.isFinite(min)) [min, max] = [0, 1];
  const pad = (max - min || Math.abs(max) || 1) * 0.08;
  const y = linearScale([min - pad, max + pad], [height - bottom, top]);
  const x = linearScale([0, Math.max(1, chart.values.length - 1)], [left, width - right]);
  let body = '';
  const level = (value: number | null, cls: string, label: string) => {
    if (value === null) return;
    body += line(left, y(value), width - right, y(value), cls);
    body += text(width - right + 4, y(value) + 4, label, 'start', 'lbl small');
  };
  level(chart.ucl, 'limit', chart.lineLabels.ucl);
  level(chart.center, 'center', chart.lineLabels.center);
  level(chart.lcl, 'limit', chart.lineLabels.lcl);
  level(chart.specs?.usl ?? null, 'spec', chart.lineLabels.usl);
  level(chart.specs?.lsl ?? null, 'spec', chart.lineLabels.lsl);
  for (const tick of niceTicks(min - pad, max + pad, 4))
    body += text(left - 6, y(tick) + 4, chart.axisLabel(tick), 'end', 'lbl small');
  body += `<polyline points="${chart.values.map((value, index) => `${n(x(index))},${n(y(value))}`).join(' ')}" class="series"/>`;
  const broken = new Map<number, string[]>();
  for (const violation of chart.violations) {
    if (violation.index >= chart.values.length) continue;
    broken.set(violation.index, [...(broken.get(violation.index) ?? []), violation.rule]);
  }
  chart.values.forEach((value, index) => {
    if (!broken.has(index)) body += `<circle cx="${n(x(index))}" cy="${n(y(value))}" r="2.5" class="dot"/>`;
  });
  for (const [index, rules] of broken) {
    const value = chart.values[index] as number;
    body += `<circle cx="${n(x(index))}" cy="${n(y(value))}" r="5" class="violation"><title>${esc(rules.join(', '))}</title></circle>`;
    body += text(x(index), y(value) - 8, rules[0] as string, 'middle', 'lbl small bad');
  }
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}

/** Bins of equal width over the values (and the spec limits, so they show), Sturges' count, 8..20. */
export function bins(values: number[], extra: number[] = []): { from: number; to: number; count: number }[] {
  if (values.length === 0) return [];
  const all = [...values, ...extra];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const count = Math.min(20, Math.max(8, Math.ceil(Math.log2(values.length) + 1)));
  const width = (max - min) / count || 1;
  const result = Array.from({ length: count }, (_, index) => ({
    from: min + index * width,
    to: min + (index + 1) * width,
    count: 0,
  }));
  for (const value of values) {
    const at = Math.min(count - 1, Math.floor((value - min) / width));
    (result[at] as { count: number }).count++;
  }
  return result;
}

/** The capability histogram: value bins, the spec limits and target as lines. */
export function histogram(
  chart: Common & {
    values: number[];
    lsl: number | null;
    usl: number | null;
    target: number | null;
    axisLabel: (value: number) => string;
    lineLabels: { lsl: string; usl: string; target: string };
  },
): string {
  const width = 640;
  const height = 220;
  const [left, right, top, bottom] = [24, 24, 20, 30];
  const limits = [chart.lsl, chart.usl, chart.target].flatMap((value) => (value === null ? [] : [value]));
  const binned = bins(chart.values, limits);
  if (binned.length === 0) return frame(chart.id, chart.title, chart.desc, width, height, '');
  const from = (binned[0] as { from: number }).from;
  const to = (binned[binned.length - 1] as { to: number }).to;
  const x = linearScale([from, to], [left, width - right]);
  const y = linearScale([0, Math.max(...binned.map((bin) => bin.count), 1)], [height - bottom, top]);
  let body = line(left, height - bottom, width - right, height - bottom, 'axis');
  for (const bin of binned)
    body += rect(
      x(bin.from) + 1,
      y(bin.count),
      x(bin.to) - x(bin.from) - 2,
      height - bottom - y(bin.count),
      'bar',
    );
  const mark = (value: number | null, cls: string, label: string) => {
    if (value === null) return;
    body += line(x(value), top - 6, x(value), height - bottom, cls);
    body += text(x(value), top - 8, label, 'middle', 'lbl small');
  };
  mark(chart.lsl, 'spec', chart.lineLabels.lsl);
  mark(chart.usl, 'spec', chart.lineLabels.usl);
  mark(chart.target, 'center', chart.lineLabels.target);
  body += text(left, height - 8, chart.axisLabel(from), 'start', 'lbl small');
  body += text(width - right, height - 8, chart.axisLabel(to), 'end', 'lbl small');
  return frame(chart.id, chart.title, chart.desc, width, height, body);
}
