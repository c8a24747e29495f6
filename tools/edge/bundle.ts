import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile, type Plugin } from 'esbuild';
import { PROJECT_ROOT } from '../paths';

/** Per-function budget after gzip. Vercel's smallest plan allows 1 MB for an edge function. */
export const GZIP_BUDGET_BYTES = 250 * 1024;

/** Inputs that must never reach a function bundle: embedded-only or Node-only code. */
const FORBIDDEN_INPUTS: { pattern: RegExp; reason: string }[] = [
  { pattern: /node_modules\/@electric-sql\/pglite\//, reason: 'PGlite (embedded database)' },
  { pattern: /node_modules\/pg\//, reason: 'pg (Node driver)' },
  // ws/browser.js is the package's throwing browser stub (reached via @vercel/functions), not Node code.
  { pattern: /node_modules\/ws\/(?!browser\.js$)/, reason: 'ws (Node WebSocket)' },
  { pattern: /node_modules\/redis\/|node_modules\/@redis\//, reason: 'node-redis' },
  { pattern: /^tools\//, reason: 'Node-only tooling' },
];

/** A `.wasm` file the code imports as `./name` (from a `.wasm?module` import), which the runtime binds. */
export type EdgeWasm = { name: string; bytes: Uint8Array };

export type EdgeBundle = {
  entry: string;
  code: string;
  /** The WebAssembly modules beside the code (Vercel puts each `.wasm?module` file beside the function). */
  wasm: EdgeWasm[];
  bytes: number;
  gzipBytes: number;
  /** Node built-ins the code imports (`node:crypto`, `fs`, ...): each one breaks on the edge. */
  nodeImports: string[];
  /** Forbidden inputs found in the bundle, with the reason. */
  forbiddenInputs: string[];
  /** Every source file the bundle holds code of (project-relative, as esbuild names them). */
  inputs: string[];
  /**
   * The inputs only an `import()` reaches: esbuild keeps one file and wraps each in an initialiser that
   * runs on the first import, so their module scope is not evaluated at cold start (their bytes still
   * are parsed).
   */
  lazyInputs: string[];
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Records every Node built-in import and leaves it external, so one bundle reports them all. */
const recordNodeImports = (found: Set<string>): Plugin => ({
  name: 'record-node-imports',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (!NODE_BUILTINS.has(args.path)) return undefined;
      found.add(args.path);
      return { path: args.path, external: true };
    });
  },
});

/** Leaves each `.wasm?module` import external as `./name.wasm` (a module binding in workerd) and collects the file. */
const wasmModules = (found: Map<string, EdgeWasm>): Plugin => ({
  name: 'wasm-modules',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\.wasm\?module$/ }, (args) => {
      const file = resolve(args.resolveDir, args.path.slice(0, -'?module'.length));
      const name = basename(file);
      const bytes = new Uint8Array(readFileSync(file));
      const other = found.get(name);
      if (other && Buffer.compare(other.bytes, bytes) !== 0)
        return { errors: [{ text: `two WebAssembly files named ${name}` }] };
      found.set(name, { name, bytes });
      return { path: `./${name}`, external: true };
    });
  },
});

/**
 * Bundles one function as Vercel's edge builder does: ESM, edge-light conditions, no Node platform.
 * `iife` (benches only) gives the same code as one script expression, to wrap in a function.
 */
export async function bundleForEdge(entry: string, format: 'esm' | 'iife' = 'esm'): Promise<EdgeBundle> {
  const nodeImports = new Set<string>();
  const wasm = new Map<string, EdgeWasm>();
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format,
    platform: 'neutral',
    target: 'es2022',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    minify: true,
    logLevel: 'silent',
    absWorkingDir: PROJECT_ROOT,
    plugins: [recordNodeImports(nodeImports), wasmModules(wasm)],
  });
  const code = result.outputFiles[0]?.text ?? '';
  const forbiddenInputs = Object.keys(result.metafile.inputs).flatMap((input) =>
    FORBIDDEN_INPUTS.filter(({ pattern }) => pattern.test(input)).map(({ reason }) => `${reason}: ${input}`),
  );
  const inputs = Object.values(result.metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .filter(([, used]) => used.bytesInOutput > 0)
    .map(([input]) => input);
  return {
    entry: relative(PROJECT_ROOT, entry),
    code,
    wasm: [...wasm.values()],
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code, { level: 9 }).length,
    nodeImports: [...nodeImports].sort(),
    forbiddenInputs,
    inputs,
    lazyInputs: lazilyEvaluated(result.metafile, inputs),
  };
}

/** The inputs no chain of static imports from the entry reaches: they are evaluated on an `import()`. */
function lazilyEvaluated(metafile: Metafile, inputs: string[]): string[] {
  const entry = Object.values(metafile.outputs)[0]?.entryPoint;
  const eager = new Set<string>();
  const pending = entry ? [entry] : [];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (eager.has(path)) continue;
    eager.add(path);
    for (const edge of metafile.inputs[path]?.imports ?? [])
      if (edge.kind !== 'dynamic-import' && !edge.external) pending.push(edge.path);
  }
  return inputs.filter((input) => !eager.has(input)).sort();
}

/** Everything that keeps a bundle from being a valid edge function; empty when it is one. */
export function edgeViolations(bundle: EdgeBundle): string[] {
  return [
    ...bundle.nodeImports.map((name) => `imports Node built-in "${name}"`),
    ...bundle.forbiddenInputs.map((input) => `bundles ${input}`),
    ...(bundle.gzipBytes > GZIP_BUDGET_BYTES
      ? [`gzip size ${bundle.gzipBytes} B exceeds the budget of ${GZIP_BUDGET_BYTES} B`]
      : []),
  ];
}
