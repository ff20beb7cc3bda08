/**
 * What the shell and JavaScript runners share: the reduced environment, the
 * per-example temp directories, output capture with a byte cap, and killing a
 * whole process group (plus descendants that left it) when a run must end.
 *
 * Every child is spawned `detached` (it leads its own process group) and
 * recorded here, so a synchronous 'exit' hook can SIGKILL whatever is still
 * alive and remove the temp directories when Node ends.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { hasDescendants, killTree } from '../../sandbox/process-tree.ts';

export const MiB = 1024 * 1024;
export const OUTPUT_LIMIT = MiB;

/** Parent variables an example may see; everything else (tokens, CI secrets) stays out. */
export const ENV_ALLOWLIST: readonly string[] = ['PATH', 'TZ'];

/** The whole environment of an example: the allow-list, a private HOME and TMPDIR, a UTF-8 C locale. */
export function sandboxEnv(dirs: { home: string; tmp: string }, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ENV_ALLOWLIST) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  env.TZ ??= 'UTC';
  env.LANG = 'C.UTF-8';
  env.LC_ALL = 'C.UTF-8';
  env.HOME = dirs.home;
  env.TMPDIR = dirs.tmp;
  return env;
}

export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export function bytes(n: number): string {
  if (n % MiB === 0) return `${n / MiB} MiB`;
  if (n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------
// Temp directories

export interface Sandbox {
  base: string;
  /** The example's working directory: empty when the example starts. */
  work: string;
  home: string;
  tmp: string;
  /** Runner files (scripts, status, saved session state), outside the example's view. */
  meta: string;
  remove(): void;
}

const liveDirs = new Set<string>();

export function makeSandbox(prefix: string): Sandbox {
  installExitHook();
  const base = mkdtempSync(path.join(os.tmpdir(), prefix));
  liveDirs.add(base);
  const sub = (name: string) => {
    const dir = path.join(base, name);
    mkdirSync(dir);
    return dir;
  };
  return {
    base,
    work: sub('work'),
    home: sub('home'),
    tmp: sub('tmp'),
    meta: sub('meta'),
    remove() {
      liveDirs.delete(base);
      removeDir(base);
    },
  };
}

export function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    // A file may still be in use; the OS temp cleaner gets it.
  }
}

/** Register a directory to remove when Node exits (if still there). */
export function removeAtExit(dir: string): () => void {
  installExitHook();
  liveDirs.add(dir);
  return () => liveDirs.delete(dir);
}

// ---------------------------------------------------------------------------
// Processes

const livePids = new Set<number>();
let exitHook = false;

function cleanUp(): void {
  for (const pid of livePids) killTree(pid);
  livePids.clear();
  for (const dir of liveDirs) removeDir(dir);
  liveDirs.clear();
}

function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  // Synchronous on purpose: nothing asynchronous runs in an 'exit' handler.
  process.on('exit', cleanUp);
  // A fatal signal skips 'exit' handlers (vitest stops its fork workers with SIGTERM). Clean up,
  // then, if nobody else handles the signal, re-raise it so the default action still happens.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      cleanUp();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.once(signal, onSignal);
  }
}

/** Track a detached child so that it dies with Node. Returns the function to forget it. */
export function trackProcess(pid: number | undefined): () => void {
  installExitHook();
  if (pid === undefined) return () => {};
  livePids.add(pid);
  return () => livePids.delete(pid);
}

export { hasDescendants, killTree };

/** Bytes of one stream up to a limit; counts (but drops) what comes after. */
export class Capture {
  private chunks: Buffer[] = [];
  bytes = 0;
  constructor(readonly limit: number = OUTPUT_LIMIT) {}
  /** Returns false once the limit is passed. */
  add(data: Buffer): boolean {
    if (data.length === 0) return this.bytes <= this.limit;
    const room = this.limit - this.bytes;
    if (room > 0) this.chunks.push(data.length > room ? data.subarray(0, room) : data);
    this.bytes += data.length;
    return this.bytes <= this.limit;
  }
  get over(): boolean {
    return this.bytes > this.limit;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export interface ProcessRun {
  /** How the run ended. */
  end: 'exited' | 'timeout' | 'output-limit' | 'spawn-error';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Which stream passed the limit, for 'output-limit'. */
  overflow?: 'stdout' | 'stderr';
  error?: string;
  durationMs: number;
}

export interface ProcessOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  outputLimit?: number;
}

/** After the process exits, how long a straggler holding the pipes may delay the result. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Run one command in its own process group with empty stdin; fd 3 is a pipe
 * held open until the command exits (a watchdog inside the command can read
 * it to learn that Node died). On exit, timeout or runaway output the whole
 * group is killed, so no background process of the example survives it.
 */
export function runProcess(command: string, args: string[], options: ProcessOptions): Promise<ProcessRun> {
  installExitHook();
  const limit = options.outputLimit ?? OUTPUT_LIMIT;
  const started = performance.now();
  return new Promise((resolve) => {
    const out = new Capture(limit);
    const err = new Capture(limit);
    let end: ProcessRun['end'] = 'exited';
    let overflow: ProcessRun['overflow'];
    let error: string | undefined;
    let settled = false;
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const forget = trackProcess(child.pid);
    const watchdog = child.stdio[3] as Writable | null;
    const kill = () => killTree(child.pid);
    const timer = setTimeout(() => {
      if (end === 'exited') end = 'timeout';
      kill();
    }, options.timeoutMs);
    const onData = (capture: Capture, name: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (!capture.add(chunk) && end === 'exited') {
        end = 'output-limit';
        overflow = name;
        kill();
      }
    };
    (child.stdout as Readable).on('data', onData(out, 'stdout'));
    (child.stderr as Readable).on('data', onData(err, 'stderr'));
    for (const stream of [child.stdout, child.stderr, watchdog]) stream?.on('error', () => {});
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      forget();
      for (const stream of [child.stdout, child.stderr, watchdog]) stream?.destroy();
      resolve({
        end,
        exitCode: child.exitCode,
        signal: child.signalCode,
        stdout: out.text(),
        stderr: err.text(),
        ...(overflow ? { overflow } : {}),
        ...(error !== undefined ? { error } : {}),
        durationMs: performance.now() - started,
      });
    };
    child.on('error', (e) => {
      end = 'spawn-error';
      error = e.message;
      if (child.pid === undefined) finish();
    });
    child.on('exit', () => {
      kill(); // background processes of the example, which may hold the pipes open
      watchdog?.destroy();
      setTimeout(finish, CLOSE_GRACE_MS).unref();
    });
    child.on('close', finish);
  });
}
