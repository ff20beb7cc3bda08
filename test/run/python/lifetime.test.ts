import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pids, waitGone } from './fixtures/helpers.ts';

const script = fileURLToPath(new URL('./fixtures/exit-without-close.ts', import.meta.url));

describe('no worker outlives Node', () => {
  it.each([
    ['exits without closing the pool', 'exit'],
    ['is killed with SIGKILL', 'kill'],
  ])('when Node %s', async (_name, how) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, how], { encoding: 'utf8', timeout: 20_000 });
    const found = [...new Set(pids(run.stdout))];
    expect(found.length, run.stderr).toBeGreaterThanOrEqual(2);
    expect(await waitGone(found)).toEqual([]);
  });
});
