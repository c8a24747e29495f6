import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, RUN_TS } from '../tools/paths';

const run = promisify(execFile);

/** V8's trace (`--trace-deopt`, `--trace-opt`) of the analyses after the warm-up. */
async function traceAfterGc(input: 'production' | 'events', megabytes: number): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--trace-deopt',
      '--trace-opt',
      ...RUN_TS,
      'tools/test-support/analyses-after-gc.ts',
      input,
      String(megabytes),
      '8',
    ],
    { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  const marker = stdout.indexOf('--- analyses after a full collection');
  expect(marker).toBeGreaterThanOrEqual(0);
  return stdout.slice(marker);
}

const lines = (trace: string, keep: (line: string) => boolean) => trace.split('\n').filter(keep).length;

describe('a warm instance after a full garbage collection', () => {
  /*
   * V8's own account of the optimised code it throws away, because objects it relied on died (`weak
   * objects`) or because feedback it relied on was cleared (a bailout): a count, not a time, so load cannot
   * move it. Eight analyses, each after a full collection (warm-up too, as an instance whose requests each
   * follow idle time): without the kept samples (lib/engine/hidden-classes.ts) they threw away 17-22 pieces
   * (the state log's reader deoptimised in every run, the scanner's code for its three sinks was dropped);
   * with them, 3-8 (3 December, three runs of each input). The state log needs 4 MB for its reader to be
   * optimised inside one run.
   */
  it.each(['production', 'events'] as const)(
    'keeps its optimised engine code (%s): the hidden classes and feedback it checks stay alive',
    async (input) => {
      const trace = await traceAfterGc(input, input === 'events' ? 4 : 1);
      expect(
        lines(trace, (line) => line.includes('reason: weak objects') || line.includes('[bailout')),
      ).toBeLessThan(12);
    },
    180_000,
  );

  // A reader runs once per analysis and its loop is optimised inside the run (on-stack replacement):
  // when the objects its code checks die with the collection, every run starts it over. Without the
  // aggregated reader's answer kept, it was optimised again in 6-8 of the 8 runs; with it, in 0-1 (0 with
  // two busy loops beside it), so up to 3 leaves room for a warm-up that ended before its compile did.
  // The kept table must come from the encoder uploads take (bytes, the WebAssembly one): kept from text,
  // it was optimised again in 4-9 of 8 runs in half the processes (4 December, idle and loaded).
  it('keeps the aggregated reader optimised across runs of a 4 MB export', async () => {
    const trace = await traceAfterGc('production', 4);
    expect(
      lines(trace, (line) => line.includes('[completed optimizing') && line.includes('readAggregated')),
    ).toBeLessThan(4);
  }, 180_000);
});
