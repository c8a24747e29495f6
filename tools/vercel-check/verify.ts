import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Route } from '../dev/routes';

type VcConfig = { runtime?: string; regions?: string[]; entrypoint?: string };
type OutputRoute = { src?: string; dest?: string };

/**
 * Checks a `vercel build` output against the api/ folder: one edge function in fra1 per file, the
 * `[param]` rewrites Vercel documents, and no static file that does not come from public/.
 * Returns the problems found; an empty list means the deployment is what the product owner asked for.
 */
export function verifyVercelOutput(outputDir: string, routes: Route[], publicDir: string): string[] {
  const configPath = join(outputDir, 'config.json');
  if (!existsSync(configPath)) return [`${configPath} is missing: the build produced nothing`];
  const problems: string[] = [];

  const functionsDir = join(outputDir, 'functions');
  const built = existsSync(functionsDir) ? findFunctions(functionsDir) : [];
  const expected = new Map(routes.map((route) => [route.file.replace(/\.(ts|js|mjs)$/, ''), route]));
  for (const name of built) if (!expected.has(name)) problems.push(`unexpected function ${name}`);
  for (const [name, route] of expected) {
    if (!built.includes(name)) {
      problems.push(`${route.file} did not become a function`);
      continue;
    }
    const vc = JSON.parse(
      readFileSync(join(functionsDir, `${name}.func`, '.vc-config.json'), 'utf8'),
    ) as VcConfig;
    if (vc.runtime !== 'edge')
      problems.push(`${route.file}: runtime is ${JSON.stringify(vc.runtime)}, not "edge"`);
    if (JSON.stringify(vc.regions) !== '["fra1"]') {
      problems.push(`${route.file}: regions are ${JSON.stringify(vc.regions)}, not ["fra1"]`);
    }
    problems.push(...missingWasm(join(functionsDir, `${name}.func`)).map((file) => `${route.file}: ${file}`));
  }

  const output = JSON.parse(readFileSync(configPath, 'utf8')) as {
    routes?: OutputRoute[];
    crons?: { path: string }[];
  };
  const outputRoutes = output.routes ?? [];
  // Crons declared in vercel.json must reach the build and point at a function.
  const vercelJson = join(publicDir, '..', 'vercel.json');
  const crons = existsSync(vercelJson)
    ? ((JSON.parse(readFileSync(vercelJson, 'utf8')) as { crons?: { path: string }[] }).crons ?? [])
    : [];
  for (const cron of crons) {
    if (!(output.crons ?? []).some((entry) => entry.path === cron.path))
      problems.push(`cron ${cron.path} is missing from the build`);
    if (!routes.some((route) => route.pattern.test(cron.path)))
      problems.push(`cron ${cron.path} has no function`);
  }
  // Rewrites declared in vercel.json must reach the build, to the function they name.
  const rewrites = existsSync(vercelJson)
    ? ((JSON.parse(readFileSync(vercelJson, 'utf8')) as { rewrites?: { destination: string }[] }).rewrites ??
      [])
    : [];
  for (const rewrite of rewrites) {
    const path = rewrite.destination.split('?')[0] ?? '';
    // A `:name` in the destination comes out of the build as a capture reference (`$1`, `$name`).
    const fixed = path.split(':')[0] ?? '';
    if (
      !outputRoutes.some(
        (entry) => entry.dest?.startsWith(fixed) && (fixed === path || /\$/.test(entry.dest)),
      )
    )
      problems.push(`rewrite to ${rewrite.destination} is missing from the build`);
    if (!routes.some((route) => route.pattern.test(path)))
      problems.push(`rewrite to ${path} has no function`);
  }
  for (const route of routes.filter((candidate) => candidate.params.length > 0)) {
    const name = route.file.replace(/\.(ts|js|mjs)$/, '');
    const dest = `/${name}?${route.params.map((param, index) => `${param}=$${index + 1}`).join('&')}`;
    if (!outputRoutes.some((entry) => entry.src === route.source && entry.dest === dest)) {
      problems.push(`${route.file}: no route ${route.source} -> ${dest}`);
    }
  }

  const staticDir = join(outputDir, 'static');
  if (existsSync(staticDir)) {
    for (const file of listFiles(staticDir)) {
      if (!existsSync(join(publicDir, file))) problems.push(`static file ${file} does not come from public/`);
    }
  }
  return problems;
}

/** Each `.wasm?module` a function's modules import must be beside them in its folder (the platform compiles it). */
function missingWasm(functionDir: string): string[] {
  const missing: string[] = [];
  for (const file of listFiles(functionDir).filter((name) => name.endsWith('.js'))) {
    const code = readFileSync(join(functionDir, file), 'utf8');
    for (const [, specifier] of code.matchAll(/from\s*["'](\.{1,2}\/[^"']+\.wasm)\?module["']/g)) {
      const wasm = join(dirname(join(functionDir, file)), specifier as string);
      if (!existsSync(wasm)) missing.push(`${relative(functionDir, wasm)} (imported by ${file}) is missing`);
    }
  }
  return missing;
}

function findFunctions(functionsDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name.endsWith('.func'))
        found.push(relative(functionsDir, path).slice(0, -5));
      else if (entry.isDirectory()) walk(path);
    }
  };
  walk(functionsDir);
  return found;
}

function listFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(relative(root, path));
    }
  };
  walk(root);
  return files;
}
