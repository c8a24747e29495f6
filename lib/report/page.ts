import type { AnalysisReport } from '../engine/report';

type Kpi = NonNullable<AnalysisReport['kpis']>['overall']['oee'];

import { escapeHtml as esc } from '../http/html';
import type { Format } from './format';
import type { Lang } from './language';
import type { Messages } from './messages';
import { FIELD, hasQuestions, MAPPABLE_FIELDS, type Questions } from './questions';
import * as svg from './svg';

type Group = NonNullable<AnalysisReport['kpis']>['byMachine'][number];

export type PageContext = {
  lang: Lang;
  m: Messages;
  f: Format;
  /** This page's URL with another language (the access token kept). */
  otherLanguageHref: string;
  /** Where the answers are posted (this page). */
  formAction: string;
  /** The analysis this one re-runs, if any, as a link the reader may follow. */
  parentHref?: string | undefined;
  /** A message above the questions (a refused answer). */
  notice?: string | undefined;
};

const REFERENCE_OEE = 0.85;
const MAX_TABLE_ROWS = 60;

/** A section: a heading and its content, skipped when there is nothing to show. */
const section = (id: string, title: string, body: string) =>
  body ? `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>` : '';

/** A chart with its data table alternative (closed; printed open). */
const figure = (chart: string, table: string, m: Messages) =>
  `<figure>${chart}<details class="data"><summary>${esc(m.sections.dataTable)}</summary>${table}</details></figure>`;

function table(headers: string[], rows: (string | number)[][], numericFrom = 1): string {
  const head = headers.map((header) => `<th scope="col">${esc(header)}</th>`).join('');
  const body = rows
    .slice(0, MAX_TABLE_ROWS)
    .map(
      (row) =>
        `<tr>${row
          .map((cell, index) =>
            index === 0
              ? `<th scope="row">${esc(String(cell))}</th>`
              : `<td${index >= numericFrom ? ' class="num"' : ''}>${esc(String(cell))}</td>`,
          )
          .join('')}</tr>`,
    )
    .join('');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** An engine reason in the reader's words: known sentences and codes translated, others as written. */
function reasonText(reason: string | null, m: Messages): string {
  if (!reason) return '';
  const known = m.reasons[reason];
  if (known) return known;
  const code = /^([A-Z][A-Z_]+):/.exec(reason)?.[1];
  return (code && m.reasonCodes[code]) || reason;
}

type KpiKey = 'oee' | 'availability' | 'performance' | 'quality';

function kpiCard(key: KpiKey, kpi: Kpi, { m, f }: PageContext, headline = false): string {
  const name = m.headline[key];
  const value =
    kpi.value === null
      ? `<p class="value na">${esc(m.headline.notComputable)}</p>`
      : `<p class="value" data-kpi="${key}">${esc(f.percent(kpi.value))}</p>`;
  const why = kpi.reason
    ? `<p class="${kpi.value === null ? 'missing' : 'note'}">${kpi.value === null ? `<strong>${esc(m.headline.whatToAdd)}:</strong> ` : ''}${esc(reasonText(kpi.reason, m))}</p>`
    : '';
  const how = `<details><summary>${esc(m.headline.howComputed)}</summary><dl><dt>${esc(m.headline.formula)}</dt><dd>${esc(kpi.formula)}</dd><dt>${esc(m.headline.numerator)}</dt><dd>${esc(f.number(kpi.numerator))}</dd><dt>${esc(m.headline.denominator)}</dt><dd>${esc(f.number(kpi.denominator))}</dd></dl></details>`;
  return `<div class="kpi${headline ? ' headline' : ''}"><h3>${esc(name)}</h3>${value}${why}${how}</div>`;
}

function summary(report: AnalysisReport, fileName: string, context: PageContext): string {
  const { m, f } = context;
  const machines = [
    ...new Set([
      ...(report.kpis?.byMachine ?? [])
        .filter((group) => group.groups === undefined)
        .map((group) => group.key),
      ...report.reliability.filter((entry) => entry.machines === undefined).map((entry) => entry.machine),
      ...report.spc.flatMap((chart) => (chart.machine ? [chart.machine] : [])),
    ]),
  ];
  const machineText =
    machines.length === 0
      ? m.summary.none
      : `${machines.length}: ${machines.slice(0, 6).join(', ')}${machines.length > 6 ? ', …' : ''}`;
  const quality = report.dataQuality;
  const rows = m.summary.rows(
    f.number(quality.rowsUsed),
    f.number(quality.rowsExcluded + quality.duplicatesRemoved + quality.summaryRowsRemoved),
    f.number(quality.issues.length),
  );
  const item = (term: string, value: string) => `<div><dt>${esc(term)}</dt><dd>${esc(value)}</dd></div>`;
  return `<dl class="summary">${item(m.summary.file, `${fileName} (${m.summary.shape[report.input.shape]})`)}${item(
    m.summary.period,
    report.period.start || report.period.end
      ? `${f.date(report.period.start)} – ${f.date(report.period.end)}`
      : m.summary.noPeriod,
  )}${item(m.summary.machines, machineText)}${item(m.summary.dataQuality, rows)}</dl>`;
}

function headline(report: AnalysisReport, context: PageContext): string {
  const overall = report.kpis?.overall;
  if (!overall) return '';
  const { m, f } = context;
  const oee = overall.oee.value;
  const target = report.options.targetOee;
  const versus = (reference: number, label: string) =>
    oee === null
      ? ''
      : `<p class="versus">${esc(
          oee < reference
            ? m.headline.below(f.percent(reference - oee), label)
            : m.headline.above(f.percent(oee - reference), label),
        )}</p>`;
  const gap =
    versus(REFERENCE_OEE, m.headline.reference) +
    (target === undefined ? '' : versus(target, m.headline.toTarget(f.percent(target))));
  return `<section id="headline" class="kpis">${kpiCard('oee', overall.oee, context, true)}${gap}<div class="apq">${kpiCard(
    'availability',
    overall.availability,
    context,
  )}${kpiCard('performance', overall.performance, context)}${kpiCard('quality', overall.quality, context)}</div></section>`;
}

function losses(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  let body = '';
  const steps = report.losses.waterfall;
  if (steps.length > 0) {
    const chart = svg.waterfallChart({
      id: 'waterfall',
      title: m.sections.waterfall,
      desc: m.chart.waterfallDesc,
      steps: steps.map((step) => ({
        label: m.waterfall[step.step] ?? step.step,
        minutes: step.minutes,
        kind: step.minutes < 0 ? 'loss' : 'total',
        display: f.number(step.minutes),
      })),
    });
    body += `<h3>${esc(m.sections.waterfall)}</h3>${figure(
      chart,
      table(
        [m.columns.step, m.columns.minutes],
        steps.map((step) => [m.waterfall[step.step] ?? step.step, f.number(step.minutes)]),
      ),
      m,
    )}`;
  }
  const six = report.losses.sixBigLosses;
  if (six.some((loss) => loss.minutes !== null)) {
    const known = six.filter((loss) => loss.minutes !== null);
    const chart = svg.barChart({
      id: 'six',
      title: m.sections.sixBigLosses,
      desc: m.chart.sixDesc,
      bars: known.map((loss) => ({
        label: m.sixBigLosses[loss.loss] ?? loss.loss,
        value: loss.minutes as number,
        display: f.minutes(loss.minutes),
      })),
    });
    body += `<h3>${esc(m.sections.sixBigLosses)}</h3>${figure(
      chart,
      table(
        [m.columns.loss, m.columns.factor, m.columns.minutes, m.columns.events, m.headline.whatToAdd],
        six.map((loss) => [
          `${m.sixBigLosses[loss.loss] ?? loss.loss}${loss.setup ? ` (${m.columns.setup} ${f.minutes(loss.setup.minutes)})` : ''}`,
          m.factor[loss.factor] ?? loss.factor,
          f.number(loss.minutes),
          f.number(loss.events),
          loss.minutes === null ? reasonText(loss.basis, m) : '',
        ]),
      ),
      m,
    )}`;
  }
  return section('losses', m.sections.losses, body);
}

function paretos(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  let out = '';
  const downtime = report.downtimePareto;
  if (downtime && downtime.items.length > 0) {
    const chart = svg.paretoChart({
      id: 'pareto',
      title: m.sections.downtime,
      desc: m.chart.paretoDesc(downtime.items.length, downtime.vitalFew.join(', ')),
      percentLabel: f.wholePercent,
      items: downtime.items.map((item) => ({
        label: item.reason,
        value: item.minutes,
        cumShare: item.cumShare,
        display: f.number(item.minutes),
      })),
    });
    out += section(
      'downtime',
      m.sections.downtime,
      figure(
        chart,
        table(
          [m.columns.reason, m.columns.minutes, m.columns.events, m.columns.share, m.columns.cumulative],
          downtime.items.map((item) => [
            item.reason,
            f.number(item.minutes),
            f.number(item.events),
            f.percent(item.share),
            f.percent(item.cumShare),
          ]),
        ),
        m,
      ),
    );
  }
  const scrap = report.scrapPareto;
  if (scrap && scrap.items.length > 0) {
    const chart = svg.paretoChart({
      id: 'scrap',
      title: m.sections.scrap,
      desc: m.chart.scrapDesc(scrap.items.length),
      percentLabel: f.wholePercent,
      items: scrap.items.map((item) => ({
        label: item.defect,
        value: item.scrap,
        cumShare: item.cumShare,
        display: f.number(item.scrap),
      })),
    });
    out += section(
      'scrap',
      m.sections.scrap,
      figure(
        chart,
        table(
          [m.columns.defect, m.columns.scrap, m.columns.share, m.columns.cumulative],
          scrap.items.map((item) => [
            item.defect,
            f.number(item.scrap),
            f.percent(item.share),
            f.percent(item.cumShare),
          ]),
        ),
        m,
      ),
    );
  }
  return out;
}

function groups(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  const kpis = report.kpis;
  if (!kpis) return '';
  const block = (id: string, title: string, list: Group[]) => {
    if (list.length < 2 && !(list.length === 1 && id === 'machine')) return '';
    const label = (group: Group) => (group.groups !== undefined ? m.chart.other : group.key);
    const withOee = list.filter((group) => group.oee.value !== null);
    const chart =
      withOee.length > 0
        ? svg.barChart({
            id: `by-${id}`,
            title,
            desc: m.chart.groupDesc(withOee.length),
            max: 1,
            bars: withOee.map((group) => ({
              label: label(group),
              value: group.oee.value as number,
              display: f.percent(group.oee.value),
            })),
            references: references(report, context),
          })
        : '';
    const rows = list.map((group) => [
      label(group),
      f.percent(group.availability.value),
      f.percent(group.performance.value),
      f.percent(group.quality.value),
      f.percent(group.oee.value),
    ]);
    const data = table(
      [m.columns.group, m.headline.availability, m.headline.performance, m.headline.quality, m.headline.oee],
      rows,
    );
    return `<h3>${esc(title)}</h3>${chart ? figure(chart, data, m) : data}`;
  };
  const body =
    block('machine', m.sections.byMachine, kpis.byMachine) +
    block('shift', m.sections.byShift, kpis.byShift) +
    block('part', m.sections.byPart, kpis.byPart);
  return section('groups', m.sections.groups, body);
}

/** The lines OEE charts compare against: the 85 % reference, and the user's target if given. */
function references(report: AnalysisReport, { m, f }: PageContext) {
  const target = report.options.targetOee;
  return [
    { value: REFERENCE_OEE, label: f.wholePercent(REFERENCE_OEE) },
    ...(target === undefined ? [] : [{ value: target, label: `${m.headline.target} ${f.percent(target)}` }]),
  ];
}

function trend(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  const periods = report.kpis?.byPeriod ?? [];
  if (periods.length < 2 || periods.every((period) => period.oee.value === null)) return '';
  const chart = svg.lineChart({
    id: 'trend',
    title: m.sections.trend,
    desc: m.chart.trendDesc(periods.length),
    max: 1,
    axisLabel: f.wholePercent,
    references: references(report, context),
    points: periods.map((period) => ({ label: period.key, value: period.oee.value })),
  });
  const data = table(
    [m.columns.period, m.headline.availability, m.headline.performance, m.headline.quality, m.headline.oee],
    periods.map((period) => [
      period.key,
      f.percent(period.availability.value),
      f.percent(period.performance.value),
      f.percent(period.quality.value),
      f.percent(period.oee.value),
    ]),
  );
  return section('trend', m.sections.trend, figure(chart, data, m));
}

function heatmapSection(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  const heat = report.downtimeByMachine;
  if (!heat || heat.machines.length === 0 || heat.reasons.length === 0) return '';
  const chart = svg.heatmap({
    id: 'heat',
    title: m.sections.heatmap,
    desc: m.chart.heatDesc(heat.machines.length, heat.reasons.length),
    rows: heat.machines,
    columns: heat.reasons,
    values: heat.minutes,
    display: (value) => f.number(value),
  });
  const data = table(
    [m.columns.machine, ...heat.reasons],
    heat.machines.map((machine, index) => [
      machine,
      ...(heat.minutes[index] ?? []).map((value) => f.number(value)),
    ]),
  );
  return section('heatmap', m.sections.heatmap, figure(chart, data, m));
}

function reliability(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  if (report.reliability.length === 0) return '';
  const failures = report.reliability.some((entry) => entry.failures > 0);
  const data = table(
    [m.columns.machine, m.columns.failures, m.columns.mtbf, m.columns.mttr],
    report.reliability.map((entry) => [
      entry.machines !== undefined ? m.chart.other : entry.machine,
      f.number(entry.failures),
      f.minutes(entry.mtbfMin),
      f.minutes(entry.mttrMin),
    ]),
  );
  return section(
    'reliability',
    m.sections.reliability,
    failures ? data : `<p>${esc(m.reliability.none)}</p>`,
  );
}

function spcSection(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  if (report.spc.length === 0) return '';
  const lineLabels = {
    center: m.chart.center,
    ucl: m.chart.ucl,
    lcl: m.chart.lcl,
    lsl: m.chart.lsl,
    usl: m.chart.usl,
  };
  const body = report.spc
    .map((chart, index) => {
      const title = m.spc.chart(chart.characteristic, chart.machine, chart.chart);
      if (chart.status !== 'ok')
        return `<h3>${esc(title)}</h3><p class="missing"><strong>${esc(m.headline.whatToAdd)}:</strong> ${esc(reasonText(chart.reason, m))}</p>`;
      const shownFrom = chart.pointsShown?.from ?? 0;
      const values = chart.points.map((point) => point.x);
      const violations = chart.violations
        .map((violation) => ({ index: violation.index - shownFrom, rule: violation.rule }))
        .filter((violation) => violation.index >= 0);
      const broken = new Set(violations.map((violation) => violation.index)).size;
      const capability = chart.capability;
      const control = svg.controlChart({
        id: `spc-${index}`,
        title,
        desc: m.chart.controlDesc(values.length, broken),
        values,
        center: chart.center,
        ucl: chart.ucl,
        lcl: chart.lcl,
        specs: { lsl: capability?.lsl ?? null, usl: capability?.usl ?? null },
        violations,
        axisLabel: (value) => f.measure(value),
        lineLabels,
      });
      const rules = [...new Set(violations.map((violation) => violation.rule))];
      const status =
        violations.length === 0
          ? `<p class="ok">${esc(m.spc.inControl)}</p>`
          : `<p class="bad">${esc(m.spc.outOfControl(broken))}</p><ul>${rules
              .map((rule) => `<li><strong>${esc(rule)}</strong>: ${esc(m.spc.rules[rule] ?? rule)}</li>`)
              .join('')}</ul>`;
      const pointRows = values.map((value, at) => [
        String(shownFrom + at + 1),
        f.measure(value),
        violations
          .filter((violation) => violation.index === at)
          .map((violation) => violation.rule)
          .join(', '),
      ]);
      let capabilityBlock = `<p class="missing">${esc(m.spc.noSpecs)}</p>`;
      if (capability && (capability.lsl !== null || capability.usl !== null)) {
        const histogram = svg.histogram({
          id: `cap-${index}`,
          title: `${m.spc.capability}: ${chart.characteristic}`,
          desc: m.chart.histogramDesc(values.length),
          values,
          lsl: capability.lsl,
          usl: capability.usl,
          target: capability.target,
          axisLabel: (value) => f.measure(value),
          lineLabels: { lsl: m.chart.lsl, usl: m.chart.usl, target: m.chart.target },
        });
        const indices = table(
          ['', 'Cp', 'Cpk', 'Pp', 'Ppk'],
          [
            [
              m.spc.capability,
              f.index(capability.cp),
              f.index(capability.cpk),
              f.index(capability.pp),
              f.index(capability.ppk),
            ],
          ],
        );
        const verdict =
          capability.capable === null
            ? ''
            : `<p class="${capability.capable ? 'ok' : 'bad'}">${esc(capability.capable ? m.spc.capable : m.spc.notCapable)}</p>`;
        capabilityBlock = `${figure(
          histogram,
          table(
            [m.columns.bin, m.columns.count],
            svg
              .bins(
                values,
                [capability.lsl, capability.usl].flatMap((v) => (v === null ? [] : [v])),
              )
              .map((bin) => [`${f.measure(bin.from)} – ${f.measure(bin.to)}`, f.number(bin.count)]),
          ),
          m,
        )}${verdict}${indices}`;
      }
      return `<h3>${esc(title)}</h3>${figure(control, table([m.columns.point, m.columns.value, m.columns.rule], pointRows), m)}${status}${capabilityBlock}`;
    })
    .join('');
  return section('spc', m.sections.spc, body);
}

function insights(report: AnalysisReport, context: PageContext): string {
  const { m, f } = context;
  if (report.insights.length === 0) return '';
  const items = report.insights
    .map((insight) => {
      const tell = m.insights[insight.id];
      const message = tell ? tell(insight.evidence, f) : insight.message;
      const evidence = Object.entries(insight.evidence)
        .filter(
          ([key, value]) => key in m.evidence && (typeof value === 'number' || typeof value === 'string'),
        )
        .map(([key, value]) => `${m.evidence[key]}: ${evidenceValue(key, value as number | string, context)}`)
        .join(' · ');
      return `<li class="${esc(insight.severity)}">${esc(message)}${evidence ? `<br><small>${esc(evidence)}</small>` : ''}</li>`;
    })
    .join('');
  return section('insights', m.sections.insights, `<ul class="insights">${items}</ul>`);
}

const PERCENT_EVIDENCE = new Set(['share', 'rate', 'oee', 'overall', 'performance', 'weakestValue']);

function evidenceValue(key: string, value: number | string, { m, f }: PageContext): string {
  if (typeof value === 'string') return key === 'weakest' ? (m.factor[value] ?? value) : value;
  if (PERCENT_EVIDENCE.has(key)) return f.percent(value);
  return key === 'minutes' ? f.minutes(value) : f.number(value);
}

function dataQuality(report: AnalysisReport, context: PageContext): string {
  const { m } = context;
  const issues = report.dataQuality.issues;
  if (issues.length === 0) return '';
  const data = table(
    [m.columns.code, m.columns.note, m.columns.count],
    issues.map((issue) => [
      `${issue.code} (${m.issues.severity[issue.severity] ?? issue.severity})`,
      `${issue.detail ?? ''}${issue.rows.length > 0 ? ` [${m.issues.rows}: ${issue.rows.slice(0, 8).join(', ')}]` : ''}`,
      String(issue.count),
    ]),
    2,
  );
  return section('data-quality', m.sections.dataQuality, data);
}

function questionsForm(questions: Questions, context: PageContext): string {
  if (!hasQuestions(questions)) return '';
  const { m } = context;
  const q = m.questions;
  const fieldsets: string[] = [];
  if (questions.states.length > 0) {
    const rows = questions.states
      .map((value, index) => {
        const options = Object.entries(q.category)
          .map(([category, label]) => `<option value="${esc(category)}">${esc(label)}</option>`)
          .join('');
        return `<tr><th scope="row"><label for="st${index}">${esc(value)}</label><input type="hidden" name="${FIELD.stateValue(index)}" value="${esc(value)}"></th><td><select id="st${index}" name="${FIELD.state(index)}">${options}</select></td></tr>`;
      })
      .join('');
    fieldsets.push(fieldset('q-states', q.states, q.statesHelp, `<table><tbody>${rows}</tbody></table>`));
  }
  if (questions.specs.length > 0) {
    const rows = questions.specs
      .map(
        (name, index) =>
          `<tr><th scope="row">${esc(name)}<input type="hidden" name="${FIELD.specName(index)}" value="${esc(name)}"></th>${(
            ['lsl', 'usl', 'target'] as const
          )
            .map(
              (limit) =>
                `<td><label>${esc(q[limit])} <input name="${FIELD.spec(index, limit)}" inputmode="decimal" size="8"></label></td>`,
            )
            .join('')}</tr>`,
      )
      .join('');
    fieldsets.push(fieldset('q-specs', q.specs, q.specsHelp, `<table><tbody>${rows}</tbody></table>`));
  }
  if (questions.idealCycle.length > 0) {
    const rows = questions.idealCycle
      .map(
        (name, index) =>
          `<tr><th scope="row">${esc(name === '*' ? m.summary.machines : name)}<input type="hidden" name="${FIELD.idealName(index)}" value="${esc(name)}"></th><td><label>${esc(q.seconds)} <input name="${FIELD.ideal(index)}" inputmode="decimal" size="8"></label></td></tr>`,
      )
      .join('');
    fieldsets.push(
      fieldset('q-ideal', q.idealCycle, q.idealCycleHelp, `<table><tbody>${rows}</tbody></table>`),
    );
  }
  if (questions.dateOrder)
    fieldsets.push(
      fieldset(
        'q-dates',
        q.dateOrder,
        q.dateOrderHelp,
        `<label><input type="radio" name="${FIELD.dateOrder}" value="dmy"> ${esc(q.dmy)}</label> <label><input type="radio" name="${FIELD.dateOrder}" value="mdy"> ${esc(q.mdy)}</label>`,
      ),
    );
  if (questions.columns.length > 0) {
    const choices = [
      `<option value="">${esc(q.leaveOut)}</option>`,
      ...MAPPABLE_FIELDS.map((field) => `<option value="${esc(field)}">${esc(field)}</option>`),
    ].join('');
    const rows = questions.columns
      .map(
        (source, index) =>
          `<tr><th scope="row"><label for="col${index}">${esc(source)}</label><input type="hidden" name="${FIELD.columnName(index)}" value="${esc(source)}"></th><td><select id="col${index}" name="${FIELD.column(index)}">${choices}</select></td></tr>`,
      )
      .join('');
    fieldsets.push(fieldset('q-columns', q.columns, q.columnsHelp, `<table><tbody>${rows}</tbody></table>`));
  }
  const notice = context.notice ? `<p class="bad" role="alert">${esc(context.notice)}</p>` : '';
  return section(
    'questions',
    m.sections.questions,
    `${notice}<p>${esc(q.intro)}</p><form method="post" action="${esc(context.formAction)}" enctype="multipart/form-data">${fieldsets.join('')}<p><label>${esc(q.file)} <input type="file" name="file" required accept=".csv,.txt,.xlsx,.xlsm,text/csv"></label></p><input type="hidden" name="lang" value="${context.lang}"><p><button type="submit">${esc(q.submit)}</button></p></form>`,
  );
}

/** One question: its legend, what it asks for, and its inputs (markup, escaped by the caller). */
const fieldset = (id: string, legend: string, help: string, inputs: string) =>
  `<fieldset id="${id}"><legend>${esc(legend)}</legend><p>${esc(help)}</p>${inputs}</fieldset>`;

/** The body of a completed analysis's report page. */
export function reportBody(
  report: AnalysisReport,
  fileName: string,
  questions: Questions,
  context: PageContext,
): string {
  const { m } = context;
  const parent = context.parentHref
    ? `<p class="note">${esc(m.questions.rerunOf)} <a href="${esc(context.parentHref)}">${esc(m.questions.earlier)}</a></p>`
    : '';
  return [
    summary(report, fileName, context),
    parent,
    headline(report, context),
    insights(report, context),
    losses(report, context),
    paretos(report, context),
    groups(report, context),
    trend(report, context),
    heatmapSection(report, context),
    reliability(report, context),
    spcSection(report, context),
    questionsForm(questions, context),
    dataQuality(report, context),
  ].join('');
}
