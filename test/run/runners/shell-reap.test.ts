import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllUntilGone } from '../../../src/run/runners/shell/reap.mjs';

/**
 * A simulated PID namespace: a folder of numeric entries standing for /proc, a fake clock, and
 * processes that leave the table only some (simulated) milliseconds after their SIGKILL, as
 * under load; one keeps forking until it is killed.
 */
function namespace(lingerMs: Record<number, number>, options: { forker?: number; immortal?: number } = {}) {
  const proc = mkdtempSync(path.join(os.tmpdir(), 'kb-reap-test-'));
  const add = (pid: number) => mkdirSync(path.join(proc, String(pid)));
  for (const pid of [1, 2, ...Object.keys(lingerMs).map(Number)]) add(pid);
  mkdirSync(path.join(proc, 'self'));
  if (options.forker !== undefined) add(options.forker);
  let clock = 0;
  let nextPid = 100;
  const diesAt = new Map<number, number>();
  const kills: number[] = [];
  return {
    proc,
    kills,
    now: () => clock,
    kill: (pid: number) => {
      kills.push(pid);
      if (!diesAt.has(pid) && pid !== options.immortal) diesAt.set(pid, clock + (lingerMs[pid] ?? 0));
    },
    sleep: (ms: number) => {
      clock += ms;
      // The forker makes a child every tick while it lives.
      if (options.forker !== undefined && !diesAt.has(options.forker)) add(nextPid++);
      for (const [pid, at] of diesAt) if (at <= clock) rmSync(path.join(proc, String(pid)), { recursive: true, force: true });
    },
    left: () => readdirSync(proc).filter((e) => /^\d+$/.test(e)).map(Number).sort((a, b) => a - b),
  };
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('emptying a lane namespace (reap.mjs)', () => {
  it('waits until processes slow to die are gone, however many polls that takes', () => {
    // 300 ms at 1..20 ms a poll is far more than the 50 passes the controller used to make.
    const ns = namespace({ 5: 300, 6: 2, 7: 1_200 });
    made.push(ns.proc);
    const left = killAllUntilGone({ procRoot: ns.proc, spare: [1, 2], kill: ns.kill, sleep: ns.sleep, now: ns.now });
    expect(left).toEqual([]);
    expect(ns.left()).toEqual([1, 2]); // the init and the controller stay
    expect(ns.kills).not.toContain(1);
    expect(ns.kills).not.toContain(2);
    expect(ns.now()).toBeGreaterThanOrEqual(1_200);
  });

  it('kills what is forked meanwhile too', () => {
    const ns = namespace({ 5: 50 }, { forker: 9 });
    made.push(ns.proc);
    expect(killAllUntilGone({ procRoot: ns.proc, spare: [1, 2], kill: ns.kill, sleep: ns.sleep, now: ns.now })).toEqual([]);
    expect(ns.left()).toEqual([1, 2]);
  });

  it('gives up at the deadline and names what is left, so the host can end the whole lane', () => {
    const ns = namespace({ 5: 10 }, { immortal: 8 });
    mkdirSync(path.join(ns.proc, '8'));
    made.push(ns.proc);
    const left = killAllUntilGone({ procRoot: ns.proc, spare: [1, 2], timeoutMs: 1_000, kill: ns.kill, sleep: ns.sleep, now: ns.now });
    expect(left).toEqual([8]);
    expect(ns.now()).toBeGreaterThanOrEqual(1_000);
    expect(ns.now()).toBeLessThan(1_100); // simulated time: the wait is bounded
  });

  it('an empty namespace costs one look and no wait', () => {
    const ns = namespace({});
    made.push(ns.proc);
    expect(killAllUntilGone({ procRoot: ns.proc, spare: [1, 2], kill: ns.kill, sleep: ns.sleep, now: ns.now })).toEqual([]);
    expect(ns.now()).toBe(0);
    expect(ns.kills).toEqual([]);
  });
});
