/**
 * A process that ran examples must be able to end by itself: `kb mutate` (and any
 * script calling the engine) printed its answer and then never exited, because an
 * idle warm shell lane kept its sandbox process referenced. Idle workers of every
 * language are unreferenced (the exit hook kills them when Node ends); a run in
 * flight keeps Node alive.
 *
 * Measured without time: the child processes that keep Node's event loop alive
 * (`ProcessWrap` in `process.getActiveResourcesInfo()`) are counted before and after.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../report/run-report.ts';
import type { RunnerName } from '../../src/plan/types.ts';
import { runCode, runnerModule } from '../../src/run/runners/index.ts';
import { endLanes } from '../../src/run/runners/shell/lane.ts';
import { runMutateCli } from '../../src/mutate/cli.ts';
import { checkBwrap } from '../../src/run/sandbox/bwrap.ts';
import { descendants } from '../../src/run/sandbox/process-tree.ts';
import { runSettings, type RunSettings } from '../../src/run/settings.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'kb-idle-exit-'));
mkdirSync(path.join(root, 'notes'));
const bwrap = checkBwrap('bwrap');

function job(settings: RunSettings, runner: RunnerName, code: string, session?: string) {
  return {
    runner, file: path.join(root, 'notes', 'x.md'), root, code, firstLine: 3, setup: [], teardown: [],
    timeoutMs: 20_000, hashSeed: '0', flags: [], settings, sandbox: { network: false, limits: settings.limits },
    ...(session ? { session } : {}),
  };
}

/** Child processes holding the event loop open. */
const holding = (): number => process.getActiveResourcesInfo().filter((r) => r === 'ProcessWrap').length;

afterAll(() => {
  endLanes();
  rmSync(root, { recursive: true, force: true });
});

// Lanes exist only in a sandbox (unsandboxed, each shell example is a process of its own that ends with it).
describe.skipIf(!bwrap.ok)(`warm shell lanes${bwrap.ok ? '' : ` (skipped: ${bwrap.reason})`}`, () => {
  const settings = runSettings({ sandbox: 'required' });

  it('idle, shared and of a session, they do not keep the process alive', async () => {
    const before = holding();
    const results = await Promise.all([
      runCode(job(settings, 'sh', 'echo one\n')),
      runCode(job(settings, 'sh', 'echo two\n')),
      runCode(job(settings, 'sh', 'x=3; echo "$x"\n', 'idle-session')),
    ]);
    expect(results.map((r) => [r.status, r.stdout])).toEqual([['passed', 'one\n'], ['passed', 'two\n'], ['passed', '3\n']]);
    expect(holding()).toBe(before);
    // The session's lane is still there and keeps its state for the next block.
    const again = await runCode(job(settings, 'sh', 'echo "$x"\n', 'idle-session'));
    expect(again.stdout).toBe('3\n');
    expect(holding()).toBe(before);
    await (await runnerModule('sh')).endSession!('idle-session');
  });

  it('with an example in flight, a lane keeps the process alive until the example ends', async () => {
    await runCode(job(settings, 'sh', 'true\n')); // a warm lane, idle
    const before = holding();
    // Started, not awaited: the example waits for a folder this test makes, so it is still running when counted.
    const flag = path.join(root, 'go');
    const running = runCode(job(settings, 'sh', `while [ ! -e ${JSON.stringify(flag)} ]; do sleep 0.05; done; echo done\n`));
    try {
      // The run reaches its lane after a few awaits (interpreter, lane); look until it has (or give up).
      let during = holding();
      for (let i = 0; i < 2_000 && during === before; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        during = holding();
      }
      expect(during).toBeGreaterThan(before);
    } finally {
      mkdirSync(flag);
    }
    expect((await running).stdout).toBe('done\n');
    expect(holding()).toBe(before);
  });
});

/** This process's shell lane controllers still running (their sandboxes' processes). */
function laneControllers(): number[] {
  return descendants(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('lane.mjs');
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe.skipIf(!bwrap.ok)('kb mutate called from a script', () => {
  it('leaves no shell lane running once it returns', async () => {
    endLanes();
    const KB = 'test/evidence/fixtures/kb';
    const out: string[] = [];
    const code = await runMutateCli(['--root', KB, '--json', `${KB}/notes/bound-only.md`], {
      cwd: REPO, env: { ...process.env, KB_SANDBOX: 'required' }, stdout: (t) => void out.push(t), stderr: (t) => void out.push(t),
    });
    expect(code, out.join('')).toBe(0);
    // The lanes it used (the exit= claim is a shell example) were closed before it returned; their
    // namespaces' last processes may take a moment to be reaped, so look again for a while.
    let left = laneControllers();
    for (let i = 0; i < 200 && left.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      left = laneControllers();
    }
    expect(left).toEqual([]);
  }, 60_000);
});
