/**
 * Warm shell lanes: one long-lived sandbox (bwrap) per lane running lane.mjs,
 * which starts each example's bash inside it. At most MAX_LANES shared lanes
 * per sandbox shape (limits, network, readable folders); a session gets a lane
 * of its own, ended with the session. Each example's folders live in the
 * lane's size-limited private /tmp and are removed after it (a session's when
 * the session ends). On a timeout, runaway output or a cgroup limit hit, the
 * host kills the whole lane and the next example gets a new one.
 */
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Capture } from '../../sandbox/capture.ts';
import { launch, limitArgs, type Launched, type SandboxRequest } from '../../sandbox/launcher.ts';
import { descendants as allBelow, killTree } from '../../sandbox/process-tree.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
import type { RunSettings } from '../../settings.ts';
import type { ProcessRun } from './sandbox.ts';

const CONTROLLER = fileURLToPath(new URL('./lane.mjs', import.meta.url));
/** Shared lanes per sandbox shape. */
export const MAX_LANES = 2;

export interface LaneRun extends ProcessRun {
  /** Text of each collected file (null when the example did not make it). */
  files: Record<string, string | null>;
}

export interface LaneRequest {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  dirs: string[];
  files: Record<string, string>;
  collect: string[];
  timeoutMs: number;
}

interface Pending {
  out: Capture;
  err: Capture;
  onMessage(message: LaneMessage): void;
}

interface LaneMessage {
  id: number;
  type: 'out' | 'err' | 'exit' | 'spawn-error' | 'done';
  b64?: string;
  code?: number | null;
  signal?: NodeJS.Signals | null;
  files?: Record<string, string | null>;
  error?: string;
}

export interface LaneShape {
  settings: RunSettings;
  request: SandboxRequest;
  readable: string[];
  env: Record<string, string>;
}

export class Lane {
  private launched: Launched;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private folders = 0;
  /** Runs sent and not yet answered: while there are any, the lane keeps Node alive. */
  private inFlight = 0;
  dead = false;
  busy = false;
  private buffer = '';

  constructor(private shape: LaneShape) {
    this.launched = launch(process.execPath, [CONTROLLER], {
      settings: shape.settings,
      request: shape.request,
      env: shape.env,
      cwd: '/tmp',
      readable: shape.readable,
      writable: [],
      dirs: [],
      stdio: ['pipe', 'pipe', 'ignore'],
      limitsInside: true,
    });
    const child = this.launched.child;
    (child.stdout as Readable).setEncoding('utf8');
    (child.stdout as Readable).on('data', (text: string) => this.receive(text));
    (child.stdin as Writable).on('error', () => {});
    child.on('error', () => this.kill());
    child.on('exit', () => this.kill());
    this.setRef(false);
  }

  /**
   * An idle lane must not keep Node alive (a script that ran a shell example would never
   * exit): like the Python and JavaScript workers, it holds the event loop only while a run
   * is in flight. When Node ends, the exit hook kills it (and bwrap's --die-with-parent).
   */
  private setRef(on: boolean): void {
    const child = this.launched.child;
    for (const handle of [child, child.stdin, child.stdout] as Array<{ ref?(): void; unref?(): void } | null>) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  /** A fresh set of folders in the lane's private /tmp. */
  folderSet(): { base: string; work: string; home: string; tmp: string; meta: string } {
    const base = `/tmp/kb-${++this.folders}`;
    return { base, work: `${base}/work`, home: `${base}/home`, tmp: `${base}/tmp`, meta: `${base}/meta` };
  }

  private receive(text: string): void {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      let message: LaneMessage;
      try {
        message = JSON.parse(line) as LaneMessage;
      } catch {
        continue;
      }
      this.pending.get(message.id)?.onMessage(message);
    }
  }

  private send(request: object): void {
    (this.launched.child.stdin as Writable).write(`${JSON.stringify(request)}\n`);
  }

  /** End the lane: its whole sandbox (every process, every folder in its /tmp) goes; pending runs end once it has. */
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    const child = this.launched.child;
    const flush = () => {
      this.launched.dispose();
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.onMessage({ id: 0, type: 'spawn-error', error: 'the shell lane ended' });
    };
    if (child.exitCode !== null || child.signalCode !== null) {
      flush();
      return;
    }
    const descendants = () => (child.pid === undefined ? [] : allBelow(child.pid));
    const before = descendants();
    killTree(child.pid);
    child.once('exit', () => {
      // Wait until the namespace's processes are gone too, so a caller sees nothing left.
      const started = Date.now();
      const wait = () => {
        if (before.some(alive) && Date.now() - started < 2_000) setTimeout(wait, 10);
        else flush();
      };
      wait();
    });
  }

  /** End the lane gracefully: the controller sees its input close and exits; resolves when the sandbox has. */
  close(): Promise<void> {
    const child = this.launched.child;
    if (this.dead || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.setRef(true); // whoever awaits the close must see the sandbox go
      child.once('exit', () => resolve());
      (child.stdin as Writable).end();
    });
  }

  remove(dirs: string[]): void {
    if (this.dead) return;
    const id = this.nextId++;
    this.pending.set(id, { out: new Capture(0), err: new Capture(0), onMessage: () => this.pending.delete(id) });
    this.send({ id, op: 'remove', dirs });
  }

  run(request: LaneRequest, outputLimit: number): Promise<LaneRun> {
    const started = performance.now();
    const id = this.nextId++;
    const limits = this.shape.request.limits;
    const argv = [...limitArgs(limits, this.launched.cgroup, true), ...request.argv];
    if (this.inFlight++ === 0) this.setRef(true);
    return new Promise((resolve) => {
      const out = new Capture(outputLimit);
      const err = new Capture(outputLimit);
      let end: ProcessRun['end'] = 'exited';
      let overflow: ProcessRun['overflow'];
      const finish = (message: LaneMessage) => {
        clearTimeout(timer);
        this.pending.delete(id);
        if (--this.inFlight === 0) this.setRef(false);
        const limitHit = this.launched.cgroup?.memoryHit() ? ('memory' as const) : this.launched.cgroup?.processesHit() ? ('processes' as const) : undefined;
        // A lane whose cgroup saw a limit would report it for every later example: retire it.
        if (limitHit) this.kill();
        const spawnError = message.type === 'spawn-error' && end === 'exited';
        resolve({
          end: spawnError ? 'spawn-error' : end,
          exitCode: end === 'exited' ? (message.code ?? null) : null,
          signal: end === 'exited' ? (message.signal ?? null) : 'SIGKILL',
          stdout: out.text(),
          stderr: err.text(),
          files: message.files ?? {},
          ...(overflow ? { overflow } : {}),
          ...(spawnError ? { error: message.error ?? 'unknown error' } : {}),
          ...(limitHit ? { limitHit } : {}),
          durationMs: performance.now() - started,
        });
      };
      const stop = (why: 'timeout' | 'output-limit') => {
        if (end === 'exited') end = why;
        this.kill(); // resolves through the pending entry
      };
      const timer = setTimeout(() => stop('timeout'), request.timeoutMs);
      this.pending.set(id, {
        out,
        err,
        onMessage: (message) => {
          if (message.type === 'out' || message.type === 'err') {
            const capture = message.type === 'out' ? out : err;
            if (!capture.add(Buffer.from(message.b64 ?? '', 'base64'))) {
              overflow = message.type === 'out' ? 'stdout' : 'stderr';
              stop('output-limit');
            }
            return;
          }
          finish(message);
        },
      });
      this.send({ id, op: 'run', argv, cwd: request.cwd, env: request.env, dirs: request.dirs, files: request.files, collect: request.collect });
    });
  }
}

const shared = new Map<string, { lanes: Lane[]; waiting: Array<() => void> }>();

function shapeKey(shape: LaneShape): string {
  return JSON.stringify([shape.settings.bwrap, shape.request, [...shape.readable].sort()]);
}

/** A free shared lane of this shape (made, or waited for); give it back with `release`. */
export async function acquireLane(shape: LaneShape): Promise<{ lane: Lane; release: () => void }> {
  const key = shapeKey(shape);
  let pool = shared.get(key);
  if (!pool) shared.set(key, (pool = { lanes: [], waiting: [] }));
  for (;;) {
    pool.lanes = pool.lanes.filter((l) => !l.dead);
    let lane = pool.lanes.find((l) => !l.busy);
    if (!lane && pool.lanes.length < MAX_LANES) {
      lane = new Lane(shape);
      pool.lanes.push(lane);
    }
    if (lane) {
      lane.busy = true;
      const owner = pool;
      const chosen = lane;
      let released = false;
      return {
        lane,
        release: () => {
          if (released) return;
          released = true;
          chosen.busy = false;
          owner.waiting.shift()?.();
        },
      };
    }
    const p = pool;
    await new Promise<void>((resolve) => p.waiting.push(resolve));
  }
}

/** End every shared lane (tests and benches; the run's exit ends them anyway with --die-with-parent). */
export function endLanes(): void {
  for (const pool of shared.values()) for (const lane of pool.lanes) lane.kill();
  shared.clear();
}

/** End every shared lane gracefully, waiting until their sandboxes have exited (benches count their CPU time once reaped). */
export async function closeLanes(): Promise<void> {
  const lanes = [...shared.values()].flatMap((pool) => pool.lanes);
  shared.clear();
  await Promise.all(lanes.map((lane) => lane.close()));
}
