/**
 * What the shell and JavaScript runners share: the reduced environment, the
 * per-example temp directories, output capture with a byte cap, and killing a
 * whole process group (plus descendants that left it) when a run must end.
 *
 * Every child is spawned `detached` (it leads its own process group) and
 * recorded here, so a synchronous 'exit' hook can SIGKILL whatever is still
 * alive and remove the temp directories when Node ends.
 */
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { hasDescendants, killTree } from '../../sandbox/process-tree.ts';
import { removeAtExit, removeDir } from '../../sandbox/cleanup.ts';
import { Capture } from '../../sandbox/capture.ts';
import { launch, type Launched, type SandboxRequest } from '../../sandbox/launcher.ts';
import type { RunSettings } from '../../settings.ts';

export const MiB = 1024 * 1024;
export const OUTPUT_LIMIT = MiB;

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


export { makeSandbox, type Sandbox } from '../../sandbox/folders.ts';
export { Capture, hasDescendants, killTree, removeAtExit, removeDir };

export interface ProcessRun {
  /** How the run ended. */
  end: 'exited' | 'timeout' | 'output-limit' | 'spawn-error';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** A limit of the sandbox's cgroup that was hit (a process killed for memory, a fork refused). */
  limitHit?: 'memory' | 'processes';
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
  settings: RunSettings;
  request: SandboxRequest;
  /** Host folders the example may write (its own sandbox folder). */
  writable: string[];
  /** Host folders it may read (the notes' repository). */
  readable: string[];
  /** Folders made in the sandbox's private /tmp. */
  dirs?: string[];
  /** Told when a process of the example ran into the memory or process limit of its cgroup. */
  onLimit?: (limit: 'memory' | 'processes') => void;
}

/**
 * Examples starting at once: beyond this they wait for a slot, and their clock starts
 * only when they start, so a timeout counts the example's own running time.
 */
const MAX_STARTS = Math.max(2, os.availableParallelism());
let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_STARTS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    running--;
    waiting.shift()?.();
  };
}

/** After the process exits, how long a straggler holding the pipes may delay the result. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Run one command in its own process group with empty stdin; fd 3 is a pipe
 * held open until the command exits (a watchdog inside the command can read
 * it to learn that Node died). On exit, timeout or runaway output the whole
 * group is killed, so no background process of the example survives it.
 */
export async function runProcess(command: string, args: string[], options: ProcessOptions): Promise<ProcessRun> {
  const release = await slot();
  try {
    return await runStarted(command, args, options);
  } finally {
    release();
  }
}

function runStarted(command: string, args: string[], options: ProcessOptions): Promise<ProcessRun> {
  const limit = options.outputLimit ?? options.request.limits.output;
  const started = performance.now();
  return new Promise((resolve) => {
    const out = new Capture(limit);
    const err = new Capture(limit);
    let end: ProcessRun['end'] = 'exited';
    let overflow: ProcessRun['overflow'];
    let error: string | undefined;
    let settled = false;
    let launched: Launched;
    try {
      launched = launch(command, args, {
        settings: options.settings,
        request: options.request,
        env: options.env,
        cwd: options.cwd,
        writable: options.writable,
        readable: options.readable,
        dirs: options.dirs ?? [],
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolve({ end: 'spawn-error', exitCode: null, signal: null, stdout: '', stderr: '', error: (e as Error).message, durationMs: 0 });
      return;
    }
    const child = launched.child;
    const forget = () => launched.dispose();
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
      const limitHit = launched.cgroup?.memoryHit() ? 'memory' as const : launched.cgroup?.processesHit() ? 'processes' as const : undefined;
      if (limitHit) options.onLimit?.(limitHit);
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
        ...(limitHit ? { limitHit } : {}),
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
