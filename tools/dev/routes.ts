import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Route = {
  /** Project-relative source file, e.g. `api/users/[id].ts`. */
  file: string;
  /** Vercel's route source for the file, e.g. `^/api/users/([^/]+)$`. */
  source: string;
  /** Names of `[param]` segments, in order. */
  params: string[];
  pattern: RegExp;
};

const FUNCTION_FILE = /\.(ts|js|mjs)$/;

/**
 * Lists the functions Vercel makes of `api/`: one per file, skipping `_`- and `.`-prefixed files and
 * folders (Vercel's convention for helpers) and type declarations.
 */
export function discoverRoutes(projectRoot: string): Route[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (FUNCTION_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(join(projectRoot, 'api'));
  return files.map((path) => toRoute(relative(projectRoot, path))).sort(byPrecedence);
}

export function toRoute(file: string): Route {
  const withoutExtension = file.replace(FUNCTION_FILE, '').replace(/(^|\/)index$/, '');
  const params: string[] = [];
  const source = `^/${withoutExtension
    .split('/')
    .map((segment) => {
      const param = /^\[([A-Za-z_][A-Za-z0-9_]*)\]$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1]);
      return '([^/]+)';
    })
    .join('/')}$`;
  return { file, source, params, pattern: new RegExp(source) };
}

/** Static segments win over `[param]` segments, as in Vercel's file-system routing. */
function byPrecedence(a: Route, b: Route): number {
  return a.params.length - b.params.length || a.file.localeCompare(b.file);
}

export function matchRoute(
  routes: Route[],
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, index) => {
      params[name] = safeDecode(match[index + 1] ?? '');
    });
    return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes reach the function as sent; it validates its input
  }
}

export type Rewrite = { source: string; destination: string; pattern: RegExp; names: string[] };

/**
 * vercel.json's `rewrites` with `:name` segments (the subset this project uses), so the runner routes
 * `/api/me/sessions/abc` to `/api/me/sessions?id=abc` as Vercel does.
 */
export function loadRewrites(projectRoot: string): Rewrite[] {
  const file = join(projectRoot, 'vercel.json');
  if (!existsSync(file)) return [];
  const config = JSON.parse(readFileSync(file, 'utf8')) as {
    rewrites?: { source: string; destination: string }[];
  };
  return (config.rewrites ?? []).map(({ source, destination }) => {
    const names: string[] = [];
    const pattern = new RegExp(
      `^${source
        .split('/')
        .map((segment) => {
          const param = /^:([A-Za-z_][A-Za-z0-9_]*)$/.exec(segment);
          if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(param[1]);
          return '([^/]+)';
        })
        .join('/')}$`,
    );
    return { source, destination, pattern, names };
  });
}

/** The URL after the first rewrite that matches its path (query parameters merged), else the same URL. */
export function applyRewrites(rewrites: Rewrite[], url: URL): URL {
  for (const rewrite of rewrites) {
    const match = rewrite.pattern.exec(url.pathname);
    if (!match) continue;
    let destination = rewrite.destination;
    rewrite.names.forEach((name, index) => {
      destination = destination.replaceAll(
        `:${name}`,
        encodeURIComponent(safeDecode(match[index + 1] ?? '')),
      );
    });
    const target = new URL(destination, url);
    for (const [name, value] of url.searchParams)
      if (!target.searchParams.has(name)) target.searchParams.set(name, value);
    return target;
  }
  return url;
}
