/**
 * Whatever a run leaves on the machine is recorded here and removed when the
 * run ends, however it ends: normal exit, an uncaught error, Ctrl-C (SIGINT),
 * SIGTERM or SIGHUP (vitest stops its workers so). Processes are killed with
 * their whole tree; host folders and cgroups are removed. What a SIGKILL of
 * Node leaves is removed by the next run (`removeStale`), and bubblewrap's
 * `--die-with-parent` ends the sandboxes themselves.
 */
import { mkdirSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { killTree } from './process-tree.ts';

const livePids = new Set<number>();
const liveDirs = new Set<string>();
/** Cgroup folders: removable only once empty, so after the processes. */
const liveCgroups = new Set<string>();
let hooked = false;

export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // A file may still be in use; the next run's removeStale gets it.
  }
}

export function cleanUpNow(): void {
  for (const pid of livePids) killTree(pid);
  livePids.clear();
  for (const dir of liveDirs) removeDir(dir);
  liveDirs.clear();
  // A cgroup can be removed only once its killed processes are reaped: retry for a moment
  // (synchronously: this also runs in an 'exit' handler); what is still busy the next run removes.
  const until = Date.now() + 500;
  while (liveCgroups.size > 0 && Date.now() < until) {
    for (const dir of [...liveCgroups]) removeCgroupDir(dir);
    if (liveCgroups.size > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
}

export function removeCgroupDir(dir: string): boolean {
  try {
    rmdirSync(dir);
    liveCgroups.delete(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') liveCgroups.delete(dir);
    return false;
  }
}

/** Process-wide, not per module instance: a test runner may evaluate this module many times in one process. */
const THREADS_SWEEP = Symbol.for('kb-doctest.sandbox.threads-sweep');
const HOOKED = Symbol.for('kb-doctest.sandbox.exit-hook');

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  const registry = globalThis as unknown as Record<symbol, (() => void)[] | undefined>;
  const hooks = registry[HOOKED];
  if (hooks) {
    // Another instance of this module already listens; it runs this instance's cleanup too.
    hooks.push(cleanUpNow);
    return;
  }
  registry[HOOKED] = [cleanUpNow];
  const cleanUpAll = () => {
    for (const hook of registry[HOOKED] ?? []) hook();
  };
  // Synchronous on purpose: nothing asynchronous runs in an 'exit' handler.
  process.on('exit', cleanUpAll);
  // A fatal signal skips 'exit' handlers. Clean up, then, if nobody else handles the signal,
  // re-raise it so the default action (ending the process) still happens.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      cleanUpAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** Track a process (the root of a sandbox) so that it dies with Node. Returns the function to forget it. */
export function trackProcess(pid: number | undefined): () => void {
  installExitHook();
  if (pid === undefined) return () => {};
  livePids.add(pid);
  return () => livePids.delete(pid);
}

/** Register a folder to remove when Node exits (if still there). Returns the function to forget it. */
export function removeAtExit(dir: string): () => void {
  installExitHook();
  liveDirs.add(dir);
  return () => liveDirs.delete(dir);
}

export function trackCgroup(dir: string): void {
  installExitHook();
  liveCgroups.add(dir);
}

/** Whether the process that made a `<prefix><pid>-<hex>` entry is gone. */
function orphaned(name: string, prefix: string): boolean {
  const pid = Number(new RegExp(`^${prefix}(\\d+)-[0-9a-f]+$`).exec(name)?.[1]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Remove `<prefix><pid>-<hex>` entries of `parent` whose process is gone (a run killed with SIGKILL). */
export function removeStale(parent: string, prefix: string, remove: (entry: string) => void = removeDir): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) if (orphaned(name, prefix)) remove(path.join(parent, name));
}

let runDir: string | undefined;

/**
 * This process's own folder under the OS temp folder, `kb-run-<pid>-<hex>`: every host
 * folder of the run (shell examples' working folders, JavaScript lanes) lives in it.
 */
export function runFolder(): string {
  if (runDir) return runDir;
  removeStale(os.tmpdir(), 'kb-run-');
  runDir = path.join(os.tmpdir(), `kb-run-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  removeAtExit(runDir);
  return runDir;
}

/**
 * For the main thread of a run whose examples run in worker threads (vitest's `threads`
 * pool): signals reach only the main thread, and a terminated thread runs no exit handler.
 * On exit, SIGINT, SIGTERM or SIGHUP, remove every folder of this process's threads
 * (`kb-run-<pid>-*`); their sandboxes die with the threads (bubblewrap's --die-with-parent),
 * and their emptied cgroups are removed by the next run.
 */
export function cleanUpThreadsAtExit(): void {
  installExitHook();
  // Once per process: every vitest run of a long-lived process (watch mode, a test suite
  // creating many) calls this, and one sweep covers all of them.
  const registry = globalThis as unknown as Record<symbol, boolean | undefined>;
  if (registry[THREADS_SWEEP]) return;
  registry[THREADS_SWEEP] = true;
  const sweep = () => removeStaleOf(process.pid);
  process.on('exit', sweep);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.prependListener(signal, sweep);
}

function removeStaleOf(pid: number): void {
  let entries: string[] = [];
  try {
    entries = readdirSync(os.tmpdir());
  } catch {
    return;
  }
  for (const name of entries) if (name.startsWith(`kb-run-${pid}-`)) removeDir(path.join(os.tmpdir(), name));
}
