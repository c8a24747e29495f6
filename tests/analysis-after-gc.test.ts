import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../tools/paths';

const run = promisify(execFile);

/**
 * V8's own account of the optimised code it throws away, because objects it relied on died (`weak
 * objects`) or because feedback it relied on was cleared (a bailout): a count, not a time, so load cannot
 * move it. Eight analyses, each after a full collection (warm-up too, as an instance whose requests each
 * follow idle time): without the kept samples (lib/engine/hidden-classes.ts) they threw away 17-22 pieces
 * (the state log's reader deoptimised in every run, the scanner's code for its three sinks was dropped);
 * with them, 4-6. The state log needs 4 MB for its reader to be optimised inside one run.
 */
async function deoptsAfterGc(input: 'production' | 'events'): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--trace-deopt',
      '--import',
      'tsx',
      'tools/test-support/analyses-after-gc.ts',
      input,
      input === 'events' ? '4' : '1',
      '8',
    ],
    { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  const marker = stdout.indexOf('--- analyses after a full collection');
  expect(marker).toBeGreaterThanOrEqual(0);
  return stdout
    .slice(marker)
    .split('\n')
    .filter((line) => line.includes('reason: weak objects') || line.includes('[bailout')).length;
}

describe('a warm instance after a full garbage collection', () => {
  it.each(['production', 'events'] as const)(
    'keeps its optimised engine code (%s): the hidden classes and feedback it checks stay alive',
    async (input) => {
      expect(await deoptsAfterGc(input)).toBeLessThan(12);
    },
    180_000,
  );
});
