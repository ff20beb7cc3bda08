/**
 * Shell examples share warm lanes: 20 examples start at most MAX_LANES
 * sandboxes (counted by the launcher), and each example still starts in an
 * empty working folder of its own, with nothing left by the one before.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCode } from '../../src/run/runners/index.ts';
import { runSettings } from '../../src/run/settings.ts';
import { checkBwrap } from '../../src/run/sandbox/bwrap.ts';
import { launchCount } from '../../src/run/sandbox/launcher.ts';
import { endLanes, MAX_LANES } from '../../src/run/runners/shell/lane.ts';

const bwrap = checkBwrap('bwrap');
const root = mkdtempSync(path.join(os.tmpdir(), 'kb-lanes-'));
mkdirSync(path.join(root, 'notes'));
const settings = runSettings({ sandbox: 'required' });
const job = (code: string) => ({
  runner: 'sh' as const, file: path.join(root, 'notes', 'x.md'), root, code, firstLine: 3, setup: [], teardown: [],
  timeoutMs: 20_000, hashSeed: '0', flags: [], settings, sandbox: { network: false, limits: settings.limits },
});

describe.skipIf(!bwrap.ok)(`shell lanes${bwrap.ok ? '' : ` (skipped: ${bwrap.reason})`}`, () => {
  afterAll(() => {
    endLanes();
    rmSync(root, { recursive: true, force: true });
  });

  it(`20 shell examples start at most ${MAX_LANES} sandboxes, each in a clean folder`, async () => {
    endLanes();
    const before = launchCount();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => runCode(job(`ls -A; ls -A "$HOME"; ls -A "$TMPDIR"; echo ${i} > left-by-${i}; echo ${i} > "$HOME/h"; echo ok ${i}\n`))),
    );
    results.forEach((r, i) => {
      expect(r.status).toBe('passed');
      expect(r.stdout).toBe(`ok ${i}\n`);
    });
    const started = launchCount() - before;
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThanOrEqual(MAX_LANES);
  });

  it('a timeout replaces the lane; the next example runs in a fresh one', async () => {
    endLanes();
    const before = launchCount();
    const slow = await runCode({ ...job('sleep 100\n'), timeoutMs: 300 });
    expect(slow.status).toBe('timeout');
    const next = await runCode(job('echo fine\n'));
    expect(next.stdout).toBe('fine\n');
    expect(launchCount() - before).toBe(2); // the killed lane, then its replacement
  });
});
