import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../lib/db/schema';
import { type AnalysisReport, analyzeCsv } from '../lib/engine';
import {
  answersToOptions,
  exportLanguage,
  formatFor,
  pickLanguage,
  questionsOf,
  renderReportPage,
} from '../lib/report';
import * as svg from '../lib/report/svg';
import { PROJECT_ROOT } from '../tools/paths';
import { type App, appBackends, signIn } from './support/app';
import { unique } from './support/kv';
import { openForSuite } from './support/suite';

const fixture = (path: string) => readFileSync(join(PROJECT_ROOT, 'tests/fixtures', path));
const numbers = (markup: string, pattern: RegExp) =>
  [...markup.matchAll(pattern)].map((match) => Number(match[1]));

describe('report charts: shapes and scales on known data', () => {
  it('scales linearly and picks round ticks', () => {
    const scale = svg.linearScale([0, 200], [50, 250]);
    expect([scale(0), scale(100), scale(200)]).toEqual([50, 150, 250]);
    expect(svg.linearScale([5, 5], [10, 90])(5)).toBe(10); // a zero-width domain maps to the start
    expect(svg.linearScale([0, 1], [300, 0])(0.25)).toBe(225); // inverted, as y axes are
    expect(svg.niceTicks(0, 1, 4)).toEqual([0, 0.5, 1]);
    expect(svg.niceTicks(0, 480, 5)).toEqual([0, 100, 200, 300, 400]);
    // 0.05 over 4 ticks is 0.0125 a step: the next round step is 0.02
    expect(svg.niceTicks(73.98, 74.03, 4)).toEqual([73.98, 74, 74.02]);
  });

  it('draws one bar per value, as long as its value, and escapes every label', () => {
    const markup = svg.barChart({
      id: 'b',
      title: 'OEE <by machine>',
      desc: 'd',
      max: 1,
      bars: [
        { label: '<script>alert(1)</script>', value: 0.5, display: '50 %' },
        { label: 'Press 2', value: 1, display: '100 %' },
      ],
      references: [{ value: 0.85, label: '85 %' }],
    });
    const widths = numbers(markup, /class="bar"/g).length;
    expect(widths).toBe(2);
    const [half, full] = numbers(markup, /width="([\d.]+)" height="[\d.]+" class="bar"/g);
    expect(half).toBeCloseTo((full as number) / 2, 0);
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('&lt;script&gt;');
    expect(markup).toContain('<title id="b-t">OEE &lt;by machine&gt;</title>');
  });

  it('puts a Pareto cumulative line through each bar, ending at 100 %', () => {
    const markup = svg.paretoChart({
      id: 'p',
      title: 't',
      desc: 'd',
      percentLabel: (share) => `${share * 100} %`,
      items: [
        { label: 'Tool change', value: 60, cumShare: 0.6, display: '60' },
        { label: 'Jam', value: 30, cumShare: 0.9, display: '30' },
        { label: 'Other', value: 10, cumShare: 1, display: '10' },
      ],
    });
    expect((markup.match(/class="bar"/g) ?? []).length).toBe(3);
    const points = /<polyline points="([^"]+)" class="cum"/.exec(markup)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(3);
    const ys = points.map((point) => Number(point.split(',')[1]));
    expect(ys[2]).toBe(12); // the top of the plot: 100 %
    expect(ys[0]).toBeGreaterThan(ys[1] as number); // rising share, falling y
  });

  it('hangs each waterfall loss from the total before it', () => {
    const markup = svg.waterfallChart({
      id: 'w',
      title: 't',
      desc: 'd',
      steps: [
        { label: 'Planned', minutes: 100, kind: 'total', display: '100' },
        { label: 'Downtime', minutes: -25, kind: 'loss', display: '-25' },
        { label: 'Run', minutes: 75, kind: 'total', display: '75' },
      ],
    });
    const bars = [
      ...markup.matchAll(
        /<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" class="(bar|loss)"/g,
      ),
    ].map((match) => ({ y: Number(match[1]), h: Number(match[2]), kind: match[3] }));
    expect(bars.map((bar) => bar.kind)).toEqual(['bar', 'loss', 'bar']);
    const [planned, loss, run] = bars as { y: number; h: number }[];
    expect(loss?.y).toBeCloseTo(planned?.y as number, 0); // the loss starts at the planned total
    expect((loss?.y as number) + (loss?.h as number)).toBeCloseTo(run?.y as number, 0); // and ends where run time stands
    expect((planned?.h as number) / (run?.h as number)).toBeCloseTo(100 / 75, 1);
  });

  it('marks each point that breaks a control rule, with the rule', () => {
    const markup = svg.controlChart({
      id: 'c',
      title: 't',
      desc: 'd',
      values: [10, 10.1, 9.9, 10.4, 10],
      center: 10,
      ucl: 10.3,
      lcl: 9.7,
      violations: [
        { index: 3, rule: 'WE1' },
        { index: 3, rule: 'WE2' },
        { index: 9, rule: 'WE1' }, // beyond the points shown: not drawn
      ],
      axisLabel: String,
      lineLabels: { center: 'CL', ucl: 'UCL', lcl: 'LCL', lsl: 'LSL', usl: 'USL' },
    });
    expect((markup.match(/class="violation"/g) ?? []).length).toBe(1);
    expect(markup).toContain('<title>WE1, WE2</title>');
    expect((markup.match(/class="dot"/g) ?? []).length).toBe(4);
    expect((markup.match(/class="limit"/g) ?? []).length).toBe(2);
  });

  it('bins every value once, spec limits inside the range; shades the heatmap by minutes', () => {
    const values = Array.from({ length: 100 }, (_, index) => 74 + ((index % 10) - 5) / 1000);
    const binned = svg.bins(values, [73.95, 74.05]);
    expect(binned.reduce((sum, bin) => sum + bin.count, 0)).toBe(100);
    expect(binned[0]?.from).toBe(73.95);
    expect(binned.at(-1)?.to).toBeCloseTo(74.05, 10);
    const heat = svg.heatmap({
      id: 'h',
      title: 't',
      desc: 'd',
      rows: ['M1', 'M2'],
      columns: ['Jam', 'Setup'],
      values: [
        [0, 30],
        [60, 15],
      ],
      display: String,
    });
    expect((heat.match(/class="heat h\d"/g) ?? []).length).toBe(4);
    expect(heat).toContain('class="heat h0"'); // no minutes
    expect(heat).toContain('class="heat h5"'); // the most
  });
});

describe('report language and questions', () => {
  it('chooses ?lang, else Accept-Language by weight, else the export', async () => {
    expect(pickLanguage('en', 'de-DE', 'de')).toBe('en');
    expect(pickLanguage(null, 'fr-FR, de;q=0.8, en;q=0.9', 'de')).toBe('en');
    expect(pickLanguage(null, 'fr-FR', 'de')).toBe('de');
    expect(pickLanguage(null, null, undefined)).toBe('en');
    const german = await analyzeCsv(fixture('analysis/german-bde.csv'));
    const english = await analyzeCsv(fixture('analysis/english-mes.csv'));
    expect([exportLanguage(german), exportLanguage(english)]).toEqual(['de', 'en']);
  });

  it('turns answers into options over those the analysis ran with; questions it did not ask are ignored', async () => {
    const report = await analyzeCsv(fixture('realdata/company_A_labelled_subset.csv'));
    const questions = questionsOf(report);
    expect(questions.states.sort()).toEqual(['1.0', '2.0', '3.0']);
    const index = (value: string) => questions.states.indexOf(value);
    const { options, answered } = answersToOptions(
      {
        [`state.${index('1.0')}`]: 'running',
        [`stateValue.${index('1.0')}`]: '1.0',
        [`state.${index('3.0')}`]: 'unplanned_stop',
        [`stateValue.${index('3.0')}`]: '3.0',
        [`state.${index('2.0')}`]: 'coffee_break', // not a category
        [`stateValue.${index('2.0')}`]: '2.0',
        'stateValue.7': 'x', // no such question
        dateOrder: 'mdy', // not asked: no ambiguous date
      },
      questions,
      { microStopMinutes: 3 },
    );
    expect(answered).toBe(2);
    expect(options).toEqual({ microStopMinutes: 3, states: { '1.0': 'running', '3.0': 'unplanned_stop' } });
  });

  it('the engine takes the answers: a date order, and an ideal cycle time per part', async () => {
    const file = (dates: string[]) =>
      new TextEncoder().encode(
        `Date,Part,Total Count,Good Count,Planned Time (min),Run Time (min)\n${dates
          .map((date, row) => `${date},P${row % 2},1000,990,480,400`)
          .join('\n')}\n`,
      );
    const ambiguous = file(['03/04/2026', '04/04/2026', '05/04/2026']);
    const plain = await analyzeCsv(ambiguous);
    expect(plain.dataQuality.issues.map((issue) => issue.code)).toContain('DATE_AMBIGUOUS');
    expect(plain.period.start).toBe('2026-04-03T00:00:00+02:00'); // read as day/month
    const questions = questionsOf(plain);
    expect(questions.dateOrder).toBe(true);
    expect(questions.idealCycle.sort()).toEqual(['P0', 'P1']);
    const { options } = answersToOptions(
      {
        dateOrder: 'mdy',
        'idealName.0': questions.idealCycle[0] as string,
        'ideal.0': '20',
        'idealName.1': questions.idealCycle[1] as string,
        'ideal.1': '24,5',
      },
      questions,
      {},
    );
    expect(options).toEqual({
      dateOrder: 'mdy',
      idealCycleSeconds: {
        [questions.idealCycle[0] as string]: 20,
        [questions.idealCycle[1] as string]: 24.5,
      },
    });
    const answered = await analyzeCsv(ambiguous, options);
    expect(answered.period.start).toBe('2026-03-04T00:00:00+01:00'); // month/day
    expect(answered.dataQuality.issues.map((issue) => issue.code)).not.toContain('DATE_AMBIGUOUS');
    // Performance = ideal cycle time x total / run time, by part (two rows of P0, one of P1).
    const performance = answered.kpis?.overall.performance;
    const ideal = { P0: 20, P1: 24.5 } as Record<string, number>;
    const expected = ((ideal.P0 as number) * 2000 + (ideal.P1 as number) * 1000) / 60 / (3 * 400);
    expect(performance?.value).toBeCloseTo(expected, 10);
    expect(answered.options).toMatchObject(options);
    expect(questionsOf(answered).idealCycle).toEqual([]);
  });
});

describe('the report page, rendered', () => {
  const page = async (report: AnalysisReport, lang: 'de' | 'en') =>
    (
      await renderReportPage({
        analysis: {
          id: crypto.randomUUID(),
          userId: null,
          submitterHash: null,
          fileName: 'x.csv',
          contentHash: report.input.sha256,
          sizeBytes: report.input.bytes,
          status: 'completed',
          result: report as unknown as AnalysisResult,
          error: null,
          errorCode: null,
          analyzerVersion: report.engineVersion,
          capabilityHash: null,
          parentId: null,
          createdAt: new Date(),
          completedAt: new Date(),
        },
        lang,
        otherLanguageHref: '/reports/x',
        formAction: '/reports/x',
      })
    ).text();

  it("compares OEE with the 85 % reference and the user's target, in the reader's numbers", async () => {
    const report = await analyzeCsv(fixture('analysis/english-mes.csv'), { targetOee: 0.8 });
    expect(report.options.targetOee).toBe(0.8);
    const oee = report.kpis?.overall.oee.value as number;
    const english = await page(report, 'en');
    const en = formatFor('en');
    expect(english).toContain(`${en.percent(0.85 - oee)} below the world-class reference of 85%`);
    expect(english).toContain(`${en.percent(0.8 - oee)} below your target of 80.0%`);
    const german = await page(report, 'de');
    const de = formatFor('de');
    expect(german).toContain(`${de.percent(0.8 - oee)} unter Ihrem Ziel von 80,0`);
    expect(german).toContain('<html lang="de">');
    // A target means nothing to a measurement file: the engine says so instead of echoing it.
    const measured = await analyzeCsv(fixture('realdata/pistonrings.csv'), { targetOee: 0.8 });
    expect(measured.options.targetOee).toBeUndefined();
    expect(measured.dataQuality.issues.find((issue) => issue.code === 'OPTION_UNUSED')?.detail).toContain(
      'targetOee',
    );
  });
});

describe.each(appBackends)('report re-runs on %s', (_name, start, available) => {
  let app: App;
  openForSuite(available, start, (started) => {
    app = started;
  });
  const csv = (marker: string) =>
    `Machine;Planned [min];Downtime [min];Total;Scrap;Ideal Cycle Time [s];Extra\nA;480;48;1000;20;20;${marker}\nB;480;30;900;9;25;${marker}\n`;
  const form = (text: string, fields: Record<string, string>) => {
    const body = new FormData();
    body.set('file', new File([text], 'line.csv', { type: 'text/csv' }));
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return body;
  };

  it.skipIf(!available)(
    "an owner's re-runs cost no upload quota, are bounded per analysis, and mail the result in the form's language",
    async () => {
      const address = `${unique('rerun')}@example.com`;
      const { bearer } = await signIn(app, address);
      const auth = { authorization: `Bearer ${bearer}` };
      const text = csv(unique('m'));
      const upload = await fetch(`${app.server.url}/api/analyses`, {
        method: 'POST',
        headers: auth,
        body: form(text, { lang: 'de' }),
      });
      expect(upload.headers.get('ratelimit')).toContain('"analysis-user";r=4');
      const { id } = (await upload.json()) as { id: string };
      await app.server.idle();
      const mailed = app.outbox.messages.filter(
        (message) => message.to === address && message.url.includes('/reports/'),
      );
      expect(mailed.map((message) => message.subject)).toEqual(['Ihre Analyse von line.csv ist fertig']);
      expect(mailed[0]?.text).toContain('OEE: ');

      const answer = { 'columnName.0': 'Extra', 'column.0': 'part' };
      const rerun = (fields = answer) =>
        fetch(`${app.server.url}/reports/${id}?lang=en`, {
          method: 'POST',
          headers: auth,
          body: form(text, fields),
          redirect: 'manual',
        });
      const locations = new Set<string>();
      for (let round = 0; round < 20; round++) {
        const response = await rerun();
        expect(response.status).toBe(303);
        locations.add(response.headers.get('location') ?? '');
      }
      expect(locations.size).toBe(20); // each a new analysis, linked to the first
      const refused = await rerun();
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toContain('text/html');
      expect(await refused.text()).toContain('Too many re-runs of this analysis today');
      await app.server.idle();
      // Twenty re-runs, and the upload quota is where the first upload left it.
      const next = await fetch(`${app.server.url}/api/analyses`, {
        method: 'POST',
        headers: auth,
        body: form(csv(unique('n')), {}),
      });
      expect(next.headers.get('ratelimit')).toContain('"analysis-user";r=3');
      const list = (await (
        await fetch(`${app.server.url}/api/analyses?limit=50`, { headers: auth })
      ).json()) as {
        items: { id: string; parentId: string | null; status: string }[];
      };
      const children = list.items.filter((item) => item.parentId === id);
      expect(children).toHaveLength(20);
      const child = (await (
        await fetch(`${app.server.url}/api/analyses/${children[0]?.id}`, { headers: auth })
      ).json()) as {
        result: AnalysisReport;
      };
      expect(child.result.options.mapping).toEqual({ Extra: 'part' });
      expect(child.result.kpis?.byPart.length).toBe(1);
    },
    120_000,
  );
});
