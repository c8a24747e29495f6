import type { Analysis } from '../db/schema';
import type { AnalysisReport } from '../engine';
import { headerLanguage } from '../engine/input/headers';
import { escapeHtml as esc, pagePolicy } from '../http/html';
import { formatFor } from './format';
import type { Lang } from './language';
import { MESSAGES } from './messages';
import { reportBody } from './page';
import { questionsOf } from './questions';

export { formatFor } from './format';
export { type Lang, pickLanguage } from './language';
export { MESSAGES } from './messages';
export { answersToOptions, questionsOf } from './questions';

/** Seconds a pending page waits before it reloads itself. */
const PENDING_REFRESH_SECONDS = 3;

const STYLE = [
  ':root{color-scheme:light;--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--bar:#0b5cad;--loss:#c2410c;--ok:#1a7f37;--bad:#b42318}',
  'body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--ink);max-width:60rem;margin:0 auto;padding:1rem 1.25rem 3rem}',
  'header{display:flex;justify-content:space-between;align-items:baseline;border-bottom:1px solid var(--line);margin-bottom:1rem}',
  'header p{margin:0;color:var(--muted)}h1{font-size:1.5rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line)}h3{font-size:1rem;margin:1.2rem 0 .4rem}',
  'dl.summary{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.4rem 1.2rem;margin:0}dl.summary dt{color:var(--muted);font-size:.85rem}dl.summary dd{margin:0}',
  '.kpis{margin-top:1.2rem}.kpi{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .9rem}.kpi h3{margin:0;font-size:.9rem;color:var(--muted)}',
  '.kpi .value{font-size:1.6rem;font-weight:600;margin:.1rem 0}.kpi.headline .value{font-size:2.6rem}.kpi .value.na{font-size:1.2rem;color:var(--bad)}',
  '.apq{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.8rem;margin-top:.8rem}.versus{color:var(--muted);margin:.4rem 0 0}',
  '.missing{color:var(--bad)}.note{color:var(--muted)}.ok{color:var(--ok)}.bad{color:var(--bad)}',
  'details dl{display:grid;grid-template-columns:auto 1fr;gap:0 .8rem;margin:.3rem 0}details dd{margin:0}summary{cursor:pointer;color:var(--bar)}',
  'figure{margin:.6rem 0 1rem}svg.chart{max-width:100%;height:auto}',
  'table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.2rem .6rem;text-align:left;vertical-align:top}td.num{text-align:right;font-variant-numeric:tabular-nums}',
  '.lbl{font:12px system-ui,sans-serif;fill:var(--ink)}.small{font-size:11px}.inv{fill:#fff}.bar{fill:var(--bar)}.loss{fill:var(--loss)}',
  '.axis,.grid{stroke:var(--line)}.ref{stroke:var(--muted);stroke-dasharray:4 3}.cum,.trend,.series{fill:none;stroke:var(--ink);stroke-width:1.5}.cumdot,.dot{fill:var(--ink)}',
  '.center{stroke:var(--ok)}.limit{stroke:var(--bad);stroke-dasharray:5 3}.spec{stroke:var(--loss)}.violation{fill:none;stroke:var(--bad);stroke-width:2}text.bad{fill:var(--bad)}',
  '.heat{stroke:#fff}.h0{fill:#f6f8fa}.h1{fill:#cfe0f3}.h2{fill:#9ec2e8}.h3{fill:#5f9bd6}.h4{fill:#2a6fb8}.h5{fill:#0b3f7a}',
  'ul.insights li{margin:.3rem 0}ul.insights li.high{font-weight:600}fieldset{border:1px solid var(--line);border-radius:.5rem;margin:.8rem 0}',
  'button{font:inherit;padding:.5rem 1.2rem;border:0;border-radius:.4rem;background:var(--bar);color:#fff;cursor:pointer}footer{margin-top:3rem;color:var(--muted);font-size:.85rem}',
  '@media print{body{max-width:none;font-size:11pt}header a,#questions,summary{display:none}details.data{display:none}section{break-inside:avoid-page}figure{break-inside:avoid}}',
].join('');

/** The language an analysis's export is written in, from its header row. */
export function exportLanguage(report: AnalysisReport | null): Lang | undefined {
  if (!report) return undefined;
  return headerLanguage(report.mapping.map((column) => column.source));
}

export type ReportView = {
  analysis: Analysis;
  lang: Lang;
  otherLanguageHref: string;
  formAction: string;
  parentHref?: string | undefined;
  notice?: string | undefined;
};

/** The whole page for an analysis in any state: pending (refreshes itself), failed (what to change), completed. */
export async function renderReportPage(view: ReportView, init: ResponseInit = {}): Promise<Response> {
  const { analysis, lang } = view;
  const m = MESSAGES[lang];
  const f = formatFor(lang);
  const headers = new Headers(init.headers);
  let body: string;
  let head = '';
  if (analysis.status === 'pending') {
    head = `<meta http-equiv="refresh" content="${PENDING_REFRESH_SECONDS}">`;
    body = `<section id="pending" aria-live="polite"><h2>${esc(m.pending.title)}</h2><p>${esc(m.pending.body)}</p><p class="note">${esc(analysis.fileName)}</p></section>`;
  } else if (analysis.status === 'failed') {
    const code = analysis.errorCode ?? 'ANALYSIS_FAILED';
    const advice = m.failures[code];
    body = `<section id="failed"><h2>${esc(m.failed.title)}</h2><p class="note">${esc(analysis.fileName)}</p><p>${esc(m.failed.codeLabel)}: <code>${esc(code)}</code></p><h3>${esc(m.failed.whatToDo)}</h3><p>${esc(advice ?? analysis.error ?? '')}</p>${advice && analysis.error ? `<p class="note">${esc(analysis.error)}</p>` : ''}<p>${esc(m.failed.tryAgain)}</p></section>`;
  } else {
    const report = analysis.result as unknown as AnalysisReport;
    body = reportBody(report, analysis.fileName, questionsOf(report), {
      lang,
      m,
      f,
      otherLanguageHref: view.otherLanguageHref,
      formAction: view.formAction,
      parentHref: view.parentHref,
      notice: view.notice,
    });
  }
  const page =
    `<!doctype html><html lang="${m.htmlLang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">${head}` +
    `<title>${esc(`${m.title}: ${analysis.fileName}`)}</title><style>${STYLE}</style></head><body>` +
    `<header><div><p>${esc(m.product)}</p><h1>${esc(m.title)}</h1></div><a href="${esc(view.otherLanguageHref)}" hreflang="${lang === 'de' ? 'en' : 'de'}">${esc(m.switchLanguage)}</a></header>` +
    `<main>${body}</main><footer>${esc(m.footer(analysis.analyzerVersion))} ${esc(f.dateTime(analysis.completedAt ?? analysis.createdAt))}</footer></body></html>`;
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('content-security-policy', await pagePolicy(STYLE));
  headers.set('content-language', lang);
  headers.set('referrer-policy', 'no-referrer'); // the URL may carry the capability token
  headers.set('x-content-type-options', 'nosniff');
  if (!headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
  headers.append('vary', 'Accept-Language');
  return new Response(page, { ...init, headers });
}
