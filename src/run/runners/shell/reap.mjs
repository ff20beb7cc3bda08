/**
 * Emptying a shell lane's PID namespace after each example (used by lane.mjs,
 * which runs inside the sandbox): SIGKILL every process but the namespace's
 * init and the controller, then wait until the process table really is empty.
 * A SIGKILLed process stays in /proc until the kernel has run its exit and the
 * init has reaped it, which under load takes longer than any fixed number of
 * passes; so the loop is bounded by time, not by a count, and whatever is still
 * there at the deadline is returned, for the host to retire the whole lane.
 */
import { readdirSync } from 'node:fs';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Block for `ms` milliseconds (synchronous on purpose: nothing else may run meanwhile). */
function sleepSync(ms) {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * @param {{ procRoot?: string, spare?: number[], timeoutMs?: number,
 *   kill?: (pid: number, signal: string) => void, sleep?: (ms: number) => void, now?: () => number }} [options]
 * @returns {number[]} the processes still present at the deadline (empty: all gone)
 */
export function killAllUntilGone(options = {}) {
  const procRoot = options.procRoot ?? '/proc';
  const spare = new Set(options.spare ?? [1, process.pid]);
  const kill = options.kill ?? ((pid, signal) => process.kill(pid, signal));
  const sleep = options.sleep ?? sleepSync;
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 5_000);
  let pause = 1;
  for (;;) {
    const left = readdirSync(procRoot)
      .map(Number)
      .filter((pid) => Number.isInteger(pid) && pid > 0 && !spare.has(pid));
    if (left.length === 0) return [];
    // Again every time: a process may have forked since the last pass.
    for (const pid of left) {
      try {
        kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    if (now() >= deadline) return left;
    sleep(pause);
    pause = Math.min(pause * 2, 20);
  }
}
