import { Miniflare } from 'miniflare';
import type { EdgeWasm } from './bundle';

export type EdgeFunction = { name: string; code: string; wasm?: EdgeWasm[] };
export type EdgeWorkers = {
  fetch(name: string, input: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
};

/**
 * Vercel's edge runtime exposes `process.env` (and nothing else of `process`) before any module runs;
 * workerd has no `process`, so this module, imported first, provides exactly that much.
 */
const VERCEL_ENV_SHIM = `
import { env } from 'cloudflare:workers';
globalThis.process = { env: { ...env } };`;

/** `waitUntil` is reachable through the request-context symbol that @vercel/functions reads, as on Vercel. */
const ENTRY = `
import './vercel-env.mjs';
import handler from './function.mjs';
const REQUEST_CONTEXT = Symbol.for('@vercel/request-context');
export default {
  async fetch(request, env, ctx) {
    const context = { waitUntil: (promise) => ctx.waitUntil(promise) };
    globalThis[REQUEST_CONTEXT] = { get: () => context };
    return handler(request, context);
  },
};`;

export type EdgeModule =
  | { type: 'ESModule'; path: string; contents: string }
  | { type: 'CompiledWasm'; path: string; contents: Uint8Array };

/** The modules one function runs as in workerd: the env shim, the bundle, its WebAssembly, and an entry that calls it. */
export const edgeModules = ({ code, wasm = [] }: Omit<EdgeFunction, 'name'>): EdgeModule[] => [
  { type: 'ESModule', path: 'entry.mjs', contents: ENTRY },
  { type: 'ESModule', path: 'vercel-env.mjs', contents: VERCEL_ENV_SHIM },
  { type: 'ESModule', path: 'function.mjs', contents: code },
  ...wasm.map(({ name, bytes }): EdgeModule => ({ type: 'CompiledWasm', path: name, contents: bytes })),
];

/**
 * Runs edge bundles in workerd (Miniflare) with no Node compatibility flags: no Buffer, no process
 * beyond env, no node: modules, no eval. One worker per function, as on Vercel.
 */
export async function startEdgeWorkers(
  functions: EdgeFunction[],
  bindings: Record<string, string>,
): Promise<EdgeWorkers> {
  const mf = new Miniflare({
    workers: functions.map(({ name, ...edgeFunction }) => ({
      name,
      compatibilityDate: '2026-04-01',
      modules: edgeModules(edgeFunction),
      bindings,
    })),
  });
  await mf.ready;
  return {
    async fetch(name, input, init) {
      // The first worker is the runtime's entry: dispatchFetch reaches it without building a proxy
      // client (getWorker's first call costs ~80 ms, more than a function's cold start).
      if (name === functions[0]?.name)
        return (await mf.dispatchFetch(input, init as never)) as unknown as Response;
      const worker = (await mf.getWorker(name)) as unknown as { fetch: typeof fetch };
      return worker.fetch(input, init);
    },
    // Disposing has been seen to hang on a loaded machine after requests to real services: bounded, so
    // a suite's teardown cannot fail its run; workerd exits with the test process either way.
    close: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stopped = await Promise.race([
        mf.dispose().then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), 20_000);
        }),
      ]);
      clearTimeout(timer);
      if (!stopped) console.warn('[edge] workerd did not stop within 20 s; left to exit with the process');
    },
  };
}
