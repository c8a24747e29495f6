import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../tools/paths';

const run = promisify(execFile);

/**
 * V8's own account of the optimised code it throws away because objects it relied on died (`weak
 * objects`): a count, not a time, so load cannot move it. Without the kept samples
 * (lib/engine/hidden-classes.ts) four analyses after a full collection throw away 75-90 pieces; with
 * them, a handful.
 */
async function weakObjectDeopts(input: 'production' | 'events'): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--trace-deopt',
      '--import',
      'tsx',
      'tools/test-support/analyses-after-gc.ts',
      input,
      '1',
      '4',
    ],
    { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  const marker = stdout.indexOf('--- analyses after a full collection');
  expect(marker).toBeGreaterThanOrEqual(0);
  return stdout
    .slice(marker)
    .split('\n')
    .filter((line) => line.includes('reason: weak objects')).length;
}

describe('a warm instance after a full garbage collection', () => {
  it.each(['production', 'events'] as const)(
    'keeps its optimised engine code (%s): the hidden classes it checks for stay alive',
    async (input) => {
      expect(await weakObjectDeopts(input)).toBeLessThan(25);
    },
    180_000,
  );
});
