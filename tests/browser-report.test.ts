import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken, sha256Hex } from '../lib/crypto';
import { completeAnalysis, createAnalysis, failAnalysis } from '../lib/db/queries';
import type { AnalysisResult } from '../lib/db/schema';
import { type AnalysisReport, analyzeCsv, ENGINE_VERSION } from '../lib/engine';
import { PROJECT_ROOT } from '../tools/paths';
import { type App, appBackends } from './support/app';
import { chromiumPresent, launchChromium } from './support/browser';
import { unique } from './support/kv';

/**
 * The report page and the signed-in app as people use them, in real headless Chromium (Debian's):
 * a German and an English export, pending to completed, a failed analysis, answering the page's
 * questions, print to PDF, sign-in to report. Screenshots and the PDF go to test-results/report/.
 */
const OUT = join(PROJECT_ROOT, 'test-results', 'report');
const fixture = (path: string) => readFileSync(join(PROJECT_ROOT, 'tests/fixtures', path));
const percent = (locale: string, value: number) =>
  new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(value);

const [backendName, startBackend] = (appBackends.find(
  ([name, , available]) => available && name.startsWith('real'),
) ?? appBackends[0]) as (typeof appBackends)[number];

describe.skipIf(!chromiumPresent)(`the report page and the app in headless Chromium (${backendName})`, () => {
  let app: App;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    app = await startBackend();
    mkdirSync(OUT, { recursive: true });
    // A language we do not speak: the page falls back to the export's language.
    browser = await launchChromium({ locale: 'fr-FR', viewport: { width: 1100, height: 1200 } });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A page that records every request it makes and every error it logs. */
  const open = async (url: string) => {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
    });
    await page.goto(url);
    return { page, requests, problems };
  };
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

  /** An anonymous form submission of a file; its JSON once done, and its report page's URL. */
  const submit = async (name: string, bytes: Buffer) => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(bytes)], name, { type: 'text/csv' }));
    form.set('email', `${unique('reader')}@example.com`);
    form.set('name', 'Petra');
    const accepted = (await (
      await fetch(`${app.server.url}/api/analyses`, { method: 'POST', body: form })
    ).json()) as {
      statusUrl: string;
      reportUrl: string;
    };
    await app.server.idle();
    const done = (await (await fetch(accepted.statusUrl)).json()) as {
      status: string;
      result: AnalysisReport;
    };
    expect(done.status).toBe('completed');
    return { report: done.result, url: accepted.reportUrl };
  };

  for (const [file, lang, locale] of [
    ['analysis/german-bde.csv', 'de', 'de-DE'],
    ['analysis/english-mes.csv', 'en', 'en-GB'],
  ] as const)
    it(`shows ${file} in ${lang}, its figures as in the JSON, loading nothing`, async () => {
      const { report, url } = await submit(file.split('/')[1] as string, fixture(file));
      const { page, requests, problems } = await open(url);
      expect(await page.getAttribute('html', 'lang')).toBe(lang);
      const oee = report.kpis?.overall.oee.value as number;
      expect(await page.textContent('[data-kpi="oee"]')).toBe(percent(locale, oee));
      expect(await page.locator('#pareto rect.bar').count()).toBe(report.downtimePareto?.items.length);
      expect(await page.locator('#waterfall rect').count()).toBe(report.losses.waterfall.length);
      // Every chart has its title, description and a data table.
      const charts = await page.locator('svg.chart').count();
      expect(charts).toBeGreaterThan(4);
      expect(await page.locator('svg.chart > title').count()).toBe(charts);
      expect(await page.locator('figure details.data table').count()).toBe(charts);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]); // the CSP holds: nothing but the page itself
      await shot(page, `report-${lang}`);
      // The README's picture: the top of the page (docs/report.png is a copy of report-en-top.png).
      await page.screenshot({
        path: join(OUT, `report-${lang}-top.png`),
        clip: { x: 0, y: 0, width: 1100, height: 1250 },
      });
    });

  it('refreshes a pending analysis until its report is there', async () => {
    const token = randomToken(32);
    const bytes = fixture('analysis/english-mes.csv');
    const pending = await createAnalysis(app.db, {
      userId: null,
      submitterHash: 'f'.repeat(64),
      fileName: 'later.csv',
      contentHash: await sha256Hex(bytes),
      sizeBytes: bytes.length,
      analyzerVersion: ENGINE_VERSION,
      capabilityHash: await sha256Hex(token),
    });
    const url = `${app.server.url}/reports/${pending.id}?access=${token}&lang=en`;
    const { page, problems } = await open(url);
    expect(await page.textContent('#pending h2')).toBe('The analysis is running');
    await shot(page, 'pending');
    const report = await analyzeCsv(bytes, { fileName: 'later.csv' });
    await completeAnalysis(app.db, pending.id, report as unknown as AnalysisResult);
    await page.waitForSelector('#headline', { timeout: 30_000 });
    expect(await page.textContent('[data-kpi="oee"]')).toBe(
      percent('en-GB', report.kpis?.overall.oee.value as number),
    );
    expect(problems).toEqual([]);
  });

  it('explains a failed analysis in plain words, in German', async () => {
    const token = randomToken(32);
    const failed = await createAnalysis(app.db, {
      userId: null,
      submitterHash: 'e'.repeat(64),
      fileName: 'bericht.csv',
      contentHash: 'a'.repeat(64),
      sizeBytes: 10,
      analyzerVersion: ENGINE_VERSION,
      capabilityHash: await sha256Hex(token),
    });
    await failAnalysis(app.db, failed.id, { code: 'NOT_TABULAR', message: 'The rows do not line up.' });
    const { page, problems } = await open(`${app.server.url}/reports/${failed.id}?access=${token}&lang=de`);
    expect(await page.textContent('#failed code')).toBe('NOT_TABULAR');
    expect(await page.textContent('#failed')).toContain(
      'Exportieren Sie eine einzelne Tabelle mit Kopfzeile',
    );
    expect(problems).toEqual([]);
    await shot(page, 'failed-de');
  });

  it('asks what unknown machine states mean, and the answer computes availability', async () => {
    const bytes = fixture('realdata/company_A_labelled_subset.csv');
    const { report, url } = await submit('company_A.csv', bytes);
    expect(report.kpis?.overall.availability.status).toBe('not_computable');
    const { page, problems } = await open(`${url}&lang=en`);
    const values = await page
      .locator('#q-states input[type=hidden]')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    // status 1.0/2.0/3.0 (SOURCES.md: manual production, automatic production, alarm), as the file writes them
    expect(values.sort()).toEqual(['1.0', '2.0', '3.0']);
    const meaning: Record<string, string> = { '1.0': 'running', '2.0': 'running', '3.0': 'unplanned_stop' };
    for (const [index, value] of values.entries())
      await page.selectOption(`select[name="state.${index}"]`, meaning[value] as string);
    await page.setInputFiles('#questions input[type=file]', {
      name: 'company_A.csv',
      mimeType: 'text/csv',
      buffer: bytes,
    });
    await shot(page, 'questions');
    await page.click('#questions button[type=submit]');
    await page.waitForSelector('#headline', { timeout: 60_000 });
    const availability = await page.locator('[data-kpi="availability"]').textContent();
    expect(availability).toMatch(/^\d+(\.\d)?%$/);
    // The re-run is a new analysis, linked to the first, whose options are the answers.
    const rerunUrl = new URL(page.url());
    const json = (await (
      await fetch(`${app.server.url}/api/analyses/${rerunUrl.pathname.split('/')[2]}${rerunUrl.search}`)
    ).json()) as { parentId: string; result: AnalysisReport };
    expect(json.parentId).toBe(new URL(url).pathname.split('/')[2]);
    expect(json.result.options.states).toEqual(meaning);
    expect(availability).toBe(percent('en-GB', json.result.kpis?.overall.availability.value as number));
    expect(await page.locator('a', { hasText: 'the earlier analysis' }).count()).toBe(1);
    expect(problems).toEqual([]);
    await shot(page, 'answered');
  });

  it('prints to PDF', async () => {
    const { url } = await submit('german-bde.csv', fixture('analysis/german-bde.csv'));
    const { page } = await open(url);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(OUT, 'report-de.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    // Printed: the questions and the table toggles are left out, the charts stay.
    expect(await page.locator('#questions').isVisible()).toBe(false);
    expect(await page.locator('svg.chart').first().isVisible()).toBe(true);
  });

  it('the app: sign in by mailed link, upload by drop zone, see the OEE, open the report', async () => {
    const address = `${unique('app')}@example.com`;
    const { page, problems } = await open(`${app.server.url}/`);
    await page.fill('#sign-in-form input[name=email]', address);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForFunction(() => (document.getElementById('status')?.textContent ?? '') !== '');
    await app.server.idle();
    const link = app.outbox.messages.filter((message) => message.to === address).at(-1)?.url ?? '';
    await page.goto(link);
    await page.click('button[type=submit]'); // the confirmation page's button: the cookie, then the app
    await page.waitForSelector('#upload:not([hidden])');
    expect(await page.textContent('#who')).toContain(address);
    // Dropped onto the zone as a file from the desktop would be.
    const csv = readFileSync(join(PROJECT_ROOT, 'tests/fixtures/analysis/english-mes.csv'), 'utf8');
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
      return data;
    }, csv);
    await page.dispatchEvent('#drop', 'drop', { dataTransfer: transfer });
    expect(await page.textContent('#chosen')).toBe('dropped.csv');
    await page.click('#upload-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#rows td.completed') !== null, undefined, {
      timeout: 60_000,
    });
    const id = await page.getAttribute('#rows tr', 'data-id');
    const cookie = (await browser.context.cookies()).find((entry) => entry.name.includes('session'));
    const json = (await (
      await fetch(`${app.server.url}/api/analyses/${id}`, {
        headers: { cookie: `${cookie?.name}=${cookie?.value}` },
      })
    ).json()) as { result: AnalysisReport };
    expect(await page.textContent('#rows td.num')).toBe(
      percent('en-GB', json.result.kpis?.overall.oee.value as number),
    );
    await shot(page, 'app');
    await page.click('#rows a');
    await page.waitForSelector('#headline');
    expect(new URL(page.url()).pathname).toBe(`/reports/${id}`);
    // Only the app's first question, before sign-in: is there a session? (Chromium logs every 401.)
    expect(problems).toEqual([
      `Failed to load resource: the server responded with a status of 401 () ${app.server.url}/api/me`,
    ]);
  }, 120_000);
});
