// `npm run problems`: writes public/problems/<type>.html, one page per problem type of lib/http/problems.ts.
// Committed (Vercel serves public/ as is); tests/problem-pages.test.ts fails when a page is out of date.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeHtml } from '../lib/http/html';
import { PROBLEM_CODES, PROBLEMS, problemPath } from '../lib/http/problems';
import { PROJECT_ROOT } from './paths';

export const PROBLEM_PAGES_DIR = join(PROJECT_ROOT, 'public', 'problems');

/** Each page's file name (under public/problems/) and its HTML. */
export function problemPages(): Map<string, string> {
  const pages = new Map<string, string>();
  const style =
    'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1b1f24}code{background:#f3f4f6;padding:0 .2rem}';
  for (const code of PROBLEM_CODES) {
    const { status, title, help } = PROBLEMS[code];
    const prose = escapeHtml(help).replace(/`([^`]+)`/g, '<code>$1</code>');
    const slug = problemPath(code).split('/').pop() as string;
    pages.set(
      `${slug}.html`,
      `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${status} ${escapeHtml(title)}: ManufacturingInsideAnalyzer API</title><style>${style}</style></head>\n<body>\n<h1>${status} ${escapeHtml(title)}</h1>\n<p>${prose}</p>\n<p>Every error of this API is problem details (RFC 9457, <code>application/problem+json</code>) with this page as its <code>type</code>, a <code>detail</code> for people and a <code>requestId</code> for support. The API is described at <a href="/api/openapi">/api/openapi</a>.</p>\n</body>\n</html>\n`,
    );
  }
  return pages;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(PROBLEM_PAGES_DIR, { recursive: true });
  for (const file of readdirSync(PROBLEM_PAGES_DIR)) rmSync(join(PROBLEM_PAGES_DIR, file));
  for (const [file, html] of problemPages()) writeFileSync(join(PROBLEM_PAGES_DIR, file), html);
  console.log(`wrote ${problemPages().size} pages to public/problems/`);
}
