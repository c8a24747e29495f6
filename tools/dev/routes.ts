import { readdirSync } from 'node:fs';
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
