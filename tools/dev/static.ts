import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * public/ as Vercel serves it with `cleanUrls`: `/a` is `a.html`, a folder is its `index.html`, and
 * `/a.html` redirects to `/a`. Undefined when no file answers (the caller tries the functions).
 */
export function serveStatic(publicDir: string, request: Request): Response | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const { pathname, search } = new URL(request.url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const path = normalize(join(publicDir, decoded));
  if (path !== publicDir && !path.startsWith(publicDir + sep)) return undefined; // no way out of public/
  if (decoded.endsWith('.html') && existsSync(path)) {
    const clean = pathname.replace(/(index)?\.html$/, '');
    return new Response(null, { status: 308, headers: { location: `${clean}${search}` } });
  }
  for (const candidate of [path, `${path}.html`, join(path, 'index.html')]) {
    if (!existsSync(candidate) || !statSync(candidate).isFile()) continue;
    const body = request.method === 'HEAD' ? null : readFileSync(candidate);
    return new Response(body, {
      headers: { 'content-type': TYPES[extname(candidate)] ?? 'application/octet-stream' },
    });
  }
  return undefined;
}
