/**
 * Small server-rendered pages (the sign-in confirmation): escaped text, one inline style allowed by
 * its hash, and a CSP that allows nothing else (no scripts, no external resources, forms only to us).
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}' +
  'h1{font-size:1.4rem}button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.4rem;' +
  'background:#0b5cad;color:#fff;cursor:pointer}p.note{color:#57606a;font-size:.9rem}';

const styleHashes = new Map<string, Promise<string>>();

/**
 * The policy of a server-rendered page with one inline stylesheet: that stylesheet by its hash, forms to
 * this origin only, nothing else loaded or run, never framed.
 */
export function pagePolicy(css: string): Promise<string> {
  let hash = styleHashes.get(css);
  if (!hash) {
    hash = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(css))
      .then((digest) => btoa(String.fromCharCode(...new Uint8Array(digest))));
    styleHashes.set(css, hash);
  }
  return hash.then(
    (sha) =>
      `default-src 'none'; style-src 'sha256-${sha}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  );
}

/** An HTML page: `body` is trusted markup (escape what goes into it). */
export async function htmlPage(title: string, body: string, init: ResponseInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('content-security-policy', await pagePolicy(STYLE));
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
  return new Response(page, { ...init, headers });
}
