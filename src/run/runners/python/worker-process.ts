/**
 * One Python worker process as the pool sees it: started, spoken to, timed and
 * ended. The pool (pool.ts) decides which jobs go where; this file carries them
 * out and reports back through `Host`.
 *
 * Protocol: fd 3 of a worker carries JSON lines (a key first, then jobs in,
 * authenticated results out: framing.ts); fd 1/2 are pipes read here. After
 * each job the worker writes a per-job sentinel on both, and a job resolves
 * only when its result and both sentinels are in, so output never bleeds
 * between jobs. Several jobs may be in flight at once (the pool writes ahead);
 * the worker runs them in order.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';
import { Framing } from './framing.ts';
import { tickWriter } from './tick-writer.ts';
import { killTree, spawnWorker, type PythonInfo, type WorkerSandbox } from './interpreter.ts';
import type { RunSettings } from '../../settings.ts';
import type { Launched } from '../../sandbox/launcher.ts';
import { memoryMessage, processesMessage } from '../../sandbox/limits.ts';
import { limitReached } from '../../sandbox/explain.ts';
import type { RunResult } from '../../result.ts';
import { finish, type Task } from './task.ts';
import type { PythonStatus } from './types.ts';

export const MiB = 1024 * 1024;
const END_SESSION_TIMEOUT_MS = 10_000;
const STARTUP_TIMEOUT_MS = 30_000;
/** After a worker exits, how long a grandchild holding its pipes may delay the verdict. */
const CLOSE_GRACE_MS = 1_000;

/** Why a worker is being ended; `task` is the job to blame, if any (the others are requeued). */
export interface Ending {
  task?: Task;
  status: PythonStatus;
  message: string;
  /** Completes "its worker ..." in the message given to a lost session's later jobs. */
  loss: string;
}

/**
 * Workers not yet closed: killed with their process groups when Node exits. Process-wide, not
 * per module instance (a test runner evaluates this module again for every test file), so one
 * exit listener serves them all.
 */
const shared = ((globalThis as unknown as Record<symbol, unknown>)[Symbol.for('kb-doctest.python.live-workers')] ??= {
  live: new Set(),
  hooked: false,
}) as { live: Set<{ proc: ChildProcess }>; hooked: boolean };
const live = shared.live;

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;
const size = (n: number): string => (n % MiB === 0 ? `${n / MiB} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

/**
 * How the worker ended. In a sandbox, bubblewrap's first process outlives it and exits with
 * 128 + N when the worker was killed by signal N: read that back as the signal.
 */
function exitOf(proc: ChildProcess, sandboxed: boolean): { exitCode: number | null; signalCode: NodeJS.Signals | null } {
  const { exitCode, signalCode } = proc;
  if (sandboxed && exitCode !== null && exitCode > 128) {
    const name = Object.entries(osConstants.signals).find(([, n]) => n === exitCode - 128)?.[0] as NodeJS.Signals | undefined;
    if (name) return { exitCode: null, signalCode: name };
  }
  return { exitCode, signalCode };
}

/** What a worker tells its pool. */
export interface Host {
  workerFinished(worker: Worker, unfinished: Task[], loss: string): void;
  pump(): void;
}

/** One worker process and the jobs written to it, in the order it runs them. */
export class Worker {
  readonly proc: ChildProcess;
  private readonly launched: Launched;
  readonly inflight: Task[] = [];
  readonly sessions = new Set<string>();
  /** Sessions that ran at least one job here: only those lose state when the worker dies. */
  readonly used = new Set<string>();
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  readonly framing = new Framing();
  private seq = 0;
  private ready = false;
  private gone = false;
  private ending?: Ending;
  private timer?: NodeJS.Timeout;
  private controlText = '';
  /** The jobs the pool writes ahead in one tick leave in one write. */
  private readonly write: (text: string) => void;
  private readonly carry = { out: Buffer.alloc(0), err: Buffer.alloc(0) };

  constructor(
    private readonly host: Host,
    python: PythonInfo,
    readonly hashSeed: string,
    readonly throwaway: boolean,
    private readonly limit: number,
    settings: RunSettings,
    readonly sandbox: WorkerSandbox,
    /** Workers are reused only for jobs of the same key (hash seed, limits, network, folders). */
    readonly key: string = hashSeed,
  ) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    this.launched = spawnWorker(python, hashSeed, settings, sandbox);
    this.proc = this.launched.child;
    if (!shared.hooked) {
      shared.hooked = true;
      process.on('exit', () => live.forEach((w) => killTree(w.proc.pid)));
    }
    live.add(this);
    const control = this.control;
    this.write = tickWriter(control);
    control.write(this.framing.handshake());
    control.setEncoding('utf8');
    control.on('data', (text: string) => this.onControl(text));
    this.proc.stdout?.on('data', (chunk: Buffer) => this.onOutput('out', chunk));
    this.proc.stderr?.on('data', (chunk: Buffer) => this.onOutput('err', chunk));
    for (const stream of [control, this.proc.stdout, this.proc.stderr]) stream?.on('error', () => {});
    this.proc.on('error', (error) => {
      this.ending ??= { task: this.inflight[0], status: 'crashed', message: `could not start Python: ${error.message}`, loss: 'could not start' };
      if (this.proc.pid === undefined) this.onClose();
    });
    this.proc.on('exit', () => {
      killTree(this.proc.pid); // stragglers of the group, which may hold the pipes open
      // The grace timer can come due in the same loop turn as the exit when the event loop was
      // busy (the pool runs in vitest's main process): close from the check phase, after one more
      // poll has read what the worker wrote before it exited (its last result), never before.
      setTimeout(() => setImmediate(() => this.onClose()), CLOSE_GRACE_MS).unref();
    });
    this.proc.on('close', () => this.onClose());
    this.timer = setTimeout(() => {
      this.kill({ status: 'crashed', message: `the Python worker did not start within ${seconds(STARTUP_TIMEOUT_MS)}`, loss: 'did not start' });
    }, STARTUP_TIMEOUT_MS);
    this.setRef(false);
  }

  get accepting(): boolean {
    return !this.ending && !this.gone;
  }

  private get control(): Socket {
    return this.proc.stdio[3] as Socket;
  }

  /** An idle worker must not keep Node alive; the exit hook kills it when Node ends. */
  private setRef(on: boolean): void {
    for (const handle of [this.proc, this.control, this.proc.stdout, this.proc.stderr] as Array<{ ref?(): void; unref?(): void } | null>) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  send(task: Task): void {
    task.seq = ++this.seq;
    task.sentinel = this.framing.sentinel(task.seq);
    task.cut = this.framing.cut(task.seq);
    this.inflight.push(task);
    if (this.inflight.length === 1) this.setRef(true);
    const message = task.job ? { op: 'run', seq: task.seq, job: task.job } : { op: 'end', seq: task.seq, session: task.session };
    this.write(`${JSON.stringify(message)}\n`);
    this.startClock();
  }

  /** Start the clock of the job the worker is on now: it works through them in order. */
  private startClock(): void {
    const head = this.inflight[0];
    if (!this.ready || !head || head.startedAt !== undefined || this.ending) return;
    head.startedAt = performance.now();
    const timeoutMs = head.job?.timeoutMs ?? END_SESSION_TIMEOUT_MS;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const message = `timed out after ${seconds(timeoutMs)}; the worker was killed and replaced`;
      this.kill({ task: head, status: 'timeout', message, loss: 'was killed after an example timed out' });
    }, timeoutMs);
  }

  private onControl(text: string): void {
    this.controlText += text;
    let newline: number;
    while ((newline = this.controlText.indexOf('\n')) >= 0) {
      const message = this.framing.open(this.controlText.slice(0, newline)) as (Task['reply'] & { ready?: boolean }) | undefined;
      this.controlText = this.controlText.slice(newline + 1);
      if (!message) {
        // Only an example writing to fd 3 puts such a line there: its result cannot be trusted.
        const text = "the example wrote to the worker's private result channel (fd 3); its result cannot be trusted. The worker was replaced";
        this.kill({ task: this.inflight[0], status: 'crashed', message: text, loss: 'was replaced after an example wrote to its result channel' });
        return;
      }
      if (message?.ready) {
        this.ready = true;
        clearTimeout(this.timer);
        this.startClock();
        continue;
      }
      const task = this.inflight.find((t) => t.seq === message?.seq);
      if (task) task.reply = message;
      this.settle();
    }
  }

  /** Split a worker stream at the sentinels of the jobs in flight, in order. */
  private onOutput(which: 'out' | 'err', chunk: Buffer): void {
    let data = this.carry[which].length > 0 ? Buffer.concat([this.carry[which], chunk]) : chunk;
    this.carry[which] = Buffer.alloc(0);
    while (data.length > 0) {
      const task = this.inflight.find((t) => !t[which].complete);
      if (!task) return; // nobody's output (after a fatal reply): dropped
      const at = data.indexOf(task.sentinel);
      // Without a sentinel, keep back a tail that may be the start of one split across chunks.
      const cut = at >= 0 ? at : Math.max(0, data.length - (task.sentinel.length - 1));
      if (!task[which].add(data.subarray(0, cut))) {
        const message = `${which === 'out' ? 'stdout' : 'stderr'} exceeded ${size(this.limit)}; output cut. The worker was killed and replaced`;
        this.kill({ task, status: 'output-limit', message, loss: 'was killed after an example exceeded the output limit' });
        return; // even if the sentinel is in this chunk: the job must not pass
      }
      if (at < 0) {
        this.carry[which] = Buffer.from(data.subarray(cut));
        return;
      }
      task[which].complete = true;
      data = data.subarray(at + task.sentinel.length);
      this.settle();
    }
  }

  /** Resolve the jobs at the head whose result and both sentinels are in. */
  private settle(): void {
    let settled = false;
    for (let head = this.inflight[0]; head?.reply && head.out.complete && head.err.complete && !this.gone; head = this.inflight[0]) {
      this.inflight.shift();
      clearTimeout(this.timer);
      const { seq: _seq, ...reply } = head.reply;
      head.done = settled = true;
      if (head.session !== undefined) this.used.add(head.session);
      const result = { ...reply, stdout: head.out.text(), stderr: head.err.text() };
      head.resolve(result);
      // Files an example left in the sandbox's /tmp outside its own folder fill the disk limit
      // for the next: a fresh sandbox starts empty.
      if (limitReached(result as RunResult) === 'disk') {
        this.kill({ status: 'skipped', message: '', loss: 'was replaced after an example filled its disk' });
      }
      // The worker exits after such a reply without touching the next job, which is requeued.
      if (reply.status === 'leaked' || reply.status === 'crashed' || reply.retire) {
        const loss = reply.retire ? `was retired after an example changed what cannot be put back (${reply.retire})` : 'was replaced after an example left threads or processes running';
        this.kill({ status: 'skipped', message: '', loss });
      }
    }
    if (!settled) return;
    this.startClock();
    if (this.inflight.length === 0) {
      this.setRef(false);
      if (this.throwaway) this.kill({ status: 'skipped', message: '', loss: 'was a throwaway worker' });
    }
    this.host.pump();
  }

  kill(ending: Ending): void {
    if (this.gone) return;
    this.ending ??= ending;
    clearTimeout(this.timer);
    this.setRef(true); // whoever awaits close() or a result must see the process go
    killTree(this.proc.pid);
  }

  /** A limit of the sandbox that explains the end of the worker (the cgroup killed it). */
  private limitHit(): Ending | undefined {
    const cgroup = this.launched.cgroup;
    const task = this.ending?.task ?? this.inflight.find((t) => !t.done);
    if (!cgroup || !task || this.ending?.status === 'timeout' && !cgroup.memoryHit()) return undefined;
    if (cgroup.memoryHit()) return { task, status: 'crashed', message: `${memoryMessage(this.sandbox.limits)}. The worker was killed and replaced`, loss: 'was killed by the memory limit' };
    if (cgroup.processesHit() && this.ending?.status !== 'timeout') return { task, status: 'crashed', message: `${processesMessage(this.sandbox.limits)}. The worker was killed and replaced`, loss: 'was killed after the process limit' };
    return undefined;
  }

  private onClose(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.timer);
    live.delete(this);
    for (const stream of [this.control, this.proc.stdout, this.proc.stderr]) stream?.destroy();
    const unfinished = this.inflight.filter((t) => !t.done);
    this.inflight.length = 0;
    const running = unfinished[0];
    const { exitCode, signalCode } = exitOf(this.proc, this.launched.sandboxed);
    const how = signalCode ? `crashed (${signalCode})` : `exited with code ${exitCode}`;
    const limitHit = this.limitHit();
    this.launched.dispose();
    const ending = limitHit ?? this.ending ?? {
      task: running,
      status: 'crashed',
      message: `the Python worker ${how} while running this example${signalCode ? '' : ' (os._exit() or a fatal error)'}; it was replaced`,
      loss: how,
    };
    if (running && ending.task === running) {
      unfinished.shift();
      if (running.session !== undefined) this.used.add(running.session);
      running.out.add(this.carry.out);
      running.err.add(this.carry.err);
      finish(running, ending.status, ending.message, performance.now() - (running.startedAt ?? performance.now()));
    }
    this.markClosed();
    this.host.workerFinished(this, unfinished, ending.loss);
  }
}
