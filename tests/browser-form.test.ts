import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../tools/paths';
import { type App, appBackends } from './support/app';
import { chromiumPresent, launchChromium } from './support/browser';
import { unique } from './support/kv';
import { useEnv } from './support/services';

/**
 * public/examples/form.html as a site owner uses it: copied to their own site (here a second localhost
 * origin), with https://API replaced by the service's address, in real headless Chromium (Debian's,
 * never a downloaded one). Screenshots of each outcome go to test-results/form/.
 */
const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'form');

const realFile = (name: string) => readFileSync(join(PROJECT_ROOT, 'tests/fixtures/realdata', name));
const aggregated = (marker: string) =>
  `Machine;Planned [min];Downtime [min];Downtime reason;Total;Scrap;Ideal Cycle Time [s]\nPress 1;480;48;Tool change;1000;20;20\nPress 2;480;30;Material missing;900;9;25\n${marker};480;12;Tool change;950;5;22\n`;
// Counts alone: quality is computable, OEE is not (no times), and the page must say why.
const countsOnly = (marker: string) => `Machine;Good;Scrap\nPress 1;950;50\n${marker};400;8\n`;

/** A legacy .xls LibreOffice wrote (tools/workbook-fixtures.ts): the workbook format still refused. */
const legacyXls = () => readFileSync(join(PROJECT_ROOT, 'tests/fixtures/workbooks/german-bde.legacy.xls'));

// The real backends when the machine has them (CI does), else the embedded ones.
const [backendName, startBackend] = (appBackends.find(
  ([name, , available]) => available && name.startsWith('real'),
) ?? appBackends[0]) as (typeof appBackends)[number];

describe.skipIf(!chromiumPresent)(`the example form in headless Chromium (${backendName})`, () => {
  let app: App;
  let site: Server;
  let siteUrl = '';
  let context: BrowserContext;
  let restore: () => void;
  let browser: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    // The site: another origin (localhost, not 127.0.0.1) serving the example with the API filled in.
    let apiUrl = '';
    site = createServer((request, response) => {
      if (!request.url?.startsWith('/form.html')) return void response.writeHead(404).end();
      const page = readFileSync(join(PROJECT_ROOT, 'public/examples/form.html'), 'utf8').replaceAll(
        'https://API',
        apiUrl,
      );
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    siteUrl = `http://localhost:${port}/form.html`;
    restore = useEnv({
      FORM_ALLOWED_ORIGINS: `http://localhost:${port}`,
      FORM_REDIRECT_HOSTS: `localhost:${port}`,
    });
    app = await startBackend();
    apiUrl = app.server.url;
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    context = browser.context;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => site?.close(resolve));
    restore?.();
  });

  const open = async () => {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(siteUrl);
    return { page, problems };
  };
  /** Fills one of the two forms (`#analyse`: fetch, `#plain`: plain post) and submits it. */
  const submit = async (page: Page, form: '#analyse' | '#plain', file: { name: string; buffer: Buffer }) => {
    await page.fill(`${form} input[name=name]`, 'Petra Schmidt');
    await page.fill(`${form} input[name=email]`, `${unique('petra')}@example.com`);
    await page.setInputFiles(`${form} input[name=file]`, {
      ...file,
      mimeType: file.name.endsWith('.csv') ? 'text/csv' : 'application/octet-stream',
    });
    await page.click(`${form} button[type=submit]`);
  };
  const settled = (page: Page, target: string) =>
    page.waitForFunction(
      (selector) => {
        const text = document.querySelector(selector)?.textContent ?? '';
        return text !== '' && !/Uploading|Analysing|Received/.test(text);
      },
      target,
      { timeout: 60_000 },
    );
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it('fetch: a new file, then the same file again, each KPI shown', async () => {
    const { page, problems } = await open();
    const text = aggregated(unique('Press'));
    for (const round of ['new', 'cached']) {
      await submit(page, '#analyse', { name: 'shift.csv', buffer: Buffer.from(text) });
      await settled(page, '#result');
      const shown = await page.textContent('#result');
      expect(shown).toMatch(/OEE\s*\d+\.\d %/);
      expect(shown).toContain('Downtime: Tool change');
      expect(await page.getAttribute('#result', 'class')).not.toContain('error');
      await shot(page, `fetch-${round}`);
    }
    // The service's report page, one click from the site: the same OEE, in the reader's words.
    const oee = /OEE\s*([\d.]+) %/.exec((await page.textContent('#result')) ?? '')?.[1];
    await page.click('#report-link');
    await page.waitForSelector('#headline');
    expect(await page.textContent('[data-kpi="oee"]')).toBe(`${oee}%`);
    expect(problems).toEqual([]);
  });

  it('fetch: says why OEE is not computable instead of a 0', async () => {
    const { page, problems } = await open();
    await submit(page, '#analyse', { name: 'counts.csv', buffer: Buffer.from(countsOnly(unique('Press'))) });
    await settled(page, '#result');
    const shown = (await page.textContent('#result')) ?? '';
    expect(shown).toMatch(/OEE\s*not computable: \S/);
    expect(shown).not.toContain('0.0 %OEE');
    expect(shown).toMatch(/Quality\s*\d+\.\d %/);
    await shot(page, 'fetch-oee-not-computable');
    expect(problems).toEqual([]);
  });

  it('fetch: a real measurement report and a real machine log', async () => {
    const { page, problems } = await open();
    await submit(page, '#analyse', { name: 'pistonrings.csv', buffer: realFile('pistonrings.csv') });
    await settled(page, '#result');
    expect(await page.textContent('#result')).toMatch(/diameter.*(I-MR|Xbar-R), \d+ points/);
    await shot(page, 'fetch-measurements');
    await submit(page, '#analyse', {
      name: 'company_A.csv',
      buffer: realFile('company_A_labelled_subset.csv'),
    });
    await settled(page, '#result');
    expect(await page.textContent('#result')).toMatch(/Availability\s*(\d+\.\d %|not computable)/);
    await shot(page, 'fetch-event-log');
    expect(problems).toEqual([]);
  });

  it('fetch: every refusal explained (workbook, image, PDF, too large, not a table)', async () => {
    const { page, problems } = await open();
    // The image and the PDF are real ones, made by the browser itself.
    const png = await page.screenshot();
    const pdf = await page.pdf();
    const cases: [string, Buffer, RegExp][] = [
      ['Schicht.xls', legacyXls(), /Excel workbook/],
      ['chart.png', png, /not a CSV file/],
      ['report.pdf', pdf, /not a CSV file/],
      ['big.csv', Buffer.alloc(5 * 1024 * 1024, 'a;b\n'), /too large/],
      ['mail.csv', Buffer.from('Dear team,\nthe numbers are attached.\n'), /no table/],
    ];
    for (const [name, buffer, message] of cases) {
      await submit(page, '#analyse', { name, buffer });
      await settled(page, '#result');
      expect(await page.textContent('#result')).toMatch(message);
      expect(await page.getAttribute('#result', 'class')).toContain('error');
      await shot(page, `fetch-refused-${name.replace(/\W/g, '-')}`);
    }
    expect(problems).toEqual([]);
  });

  it('plain form: back on the page with the report, or with the reason for a refusal', async () => {
    const { page, problems } = await open();
    await submit(page, '#plain', { name: 'shift.csv', buffer: Buffer.from(aggregated(unique('Line'))) });
    await page.waitForURL(/analysisId=/);
    expect(new URL(page.url()).hash).toMatch(/^#statusUrl=/);
    await settled(page, '#plain-result');
    expect(await page.textContent('#plain-result')).toMatch(/OEE\s*\d+\.\d %/);
    await shot(page, 'plain-accepted');
    for (const [name, buffer, error, message] of [
      ['Schicht.xls', legacyXls(), 'unsupported_media_type', /Excel workbook/],
      ['big.csv', Buffer.alloc(13 * 1024 * 1024, 'a;b\n'), 'payload_too_large', /too large/],
    ] as const) {
      await page.goto(siteUrl);
      await submit(page, '#plain', { name, buffer });
      await page.waitForURL(/error=/);
      expect(new URL(page.url()).searchParams.get('error')).toBe(error);
      expect(await page.textContent('#plain-result')).toMatch(message);
      await shot(page, `plain-refused-${error}`);
    }
    expect(problems).toEqual([]);
  });
});
