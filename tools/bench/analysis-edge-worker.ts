// Bundled into a workerd worker by analysis-edge.ts: the bare parse and the whole analysis, as
// analysis-interleaved.ts runs them in Node, in workerd's V8 (as current as the edge's). `GET /prepare?input=` makes
// the 4 MB input (outside any timing); `GET /run?modes=parse,analyze&rounds=N[&gc=1]` runs the modes
// interleaved, rotating their order each round, and answers each mode's times in ms.
import { analyzeCsv } from '../../lib/engine/analyze';
import { bareParse, benchInput } from './analysis-modes';

let bytes: Uint8Array = new Uint8Array(0);
const modes: Record<string, () => Promise<unknown>> = {
  parse: async () => bareParse(bytes),
  analyze: async () => (await analyzeCsv(bytes)).input.rows,
};

export default async (request: Request): Promise<Response> => {
  const url = new URL(request.url);
  if (url.pathname === '/prepare') {
    bytes = benchInput(url.searchParams.get('input') ?? 'production');
    return new Response(null, { status: 204 });
  }
  const names = (url.searchParams.get('modes') ?? '').split(',').filter((name) => name in modes);
  const rounds = Number(url.searchParams.get('rounds') ?? 1);
  // workerd passes V8 flags from its config: the bench sets --expose-gc.
  const collect = url.searchParams.get('gc') === '1' ? (globalThis as { gc?: () => void }).gc : undefined;
  const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++)
    for (let j = 0; j < names.length; j++) {
      const name = names[(round + j) % names.length] as string;
      collect?.();
      // Local workerd lets the clock run during a request (the platform's would stand still).
      const started = performance.now();
      await modes[name]?.();
      times[name]?.push(performance.now() - started);
    }
  return Response.json(times);
};
