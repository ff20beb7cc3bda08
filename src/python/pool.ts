/**
 * The Node side of the Python workers: a pool of warm interpreters, the wire
 * protocol, and recovery from what in-process execution cannot contain
 * (timeouts, crashes, runaway output, leftover threads and processes).
 *
 * Protocol: fd 3 of a worker carries JSON lines (jobs in, results out); fd 1/2
 * are pipes read here. After each job the worker writes a per-job sentinel on
 * both, and a job resolves only when its result and both sentinels are in, so
 * output never bleeds between jobs. Up to PIPELINE_DEPTH jobs are written ahead
 * so a worker never idles waiting for a round trip.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { killTree, resolvePython, spawnWorker, type PythonInfo } from './interpreter.ts';
import type { PythonJob, PythonResult, PythonStatus } from './types.ts';

export { PythonUnavailableError, resolvePython, WORKER_ENV_ALLOWLIST, WORKER_ENV_FIXED, type PythonInfo } from './interpreter.ts';

export interface PoolOptions {
  /** Number of warm workers (default 1). Throwaway `isolate: 'process'` workers come on top. */
  size?: number;
  /** Cap on each of stdout and stderr per job (default 1 MiB). */
  outputLimitBytes?: number;
  python?: PythonInfo;
}

const MiB = 1024 * 1024;
const PIPELINE_DEPTH = 8;
const END_SESSION_TIMEOUT_MS = 10_000;
const STARTUP_TIMEOUT_MS = 30_000;
/** After a worker exits, how long a grandchild holding its pipes may delay the verdict. */
const CLOSE_GRACE_MS = 1_000;

/** One unit of work for a worker: a job, or (without `job`) ending a session. */
interface Task {
  job?: PythonJob;
  session?: string;
  resolve(result: PythonResult): void;
  seq: number;
  sentinel: Buffer;
  out: Capture;
  err: Capture;
  reply?: PythonResult & { seq: number };
  startedAt?: number;
  done: boolean;
}

/** Why a worker is being ended; `task` is the job to blame, if any (the others are requeued). */
interface Ending {
  task?: Task;
  status: PythonStatus;
  message: string;
  /** Completes "its worker ..." in the message given to a lost session's later jobs. */
  loss: string;
}

class Capture {
  private chunks: Buffer[] = [];
  private bytes = 0;
  complete = false;
  constructor(private readonly limit: number) {}
  /** False once past the limit; what is kept stops at the limit. */
  add(data: Buffer): boolean {
    const room = this.limit - this.bytes;
    if (room > 0 && data.length > 0) this.chunks.push(data.length > room ? data.subarray(0, room) : data);
    this.bytes += data.length;
    return this.bytes <= this.limit;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const live = new Set<Worker>();
let exitHook = false;

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;
const size = (n: number): string => (n % MiB === 0 ? `${n / MiB} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

function finish(task: Task, status: PythonStatus, message: string | undefined, durationMs = 0): void {
  task.done = true;
  const result: PythonResult = { status, stdout: task.out.text(), stderr: task.err.text(), durationMs };
  if (message) result.message = message;
  task.resolve(result);
}

interface Host {
  workerFinished(worker: Worker, unfinished: Task[], loss: string): void;
  pump(): void;
}

class Worker {
  readonly proc: ChildProcess;
  readonly inflight: Task[] = [];
  readonly sessions = new Set<string>();
  /** Sessions that ran at least one job here: only those lose state when the worker dies. */
  readonly used = new Set<string>();
  readonly closed: Promise<void>;
  private markClosed!: () => void;
  private readonly token = randomBytes(8).toString('hex');
  private seq = 0;
  private ready = false;
  private gone = false;
  private ending?: Ending;
  private timer?: NodeJS.Timeout;
  private controlText = '';
  private readonly carry = { out: Buffer.alloc(0), err: Buffer.alloc(0) };

  constructor(private readonly host: Host, python: PythonInfo, readonly hashSeed: string, readonly throwaway: boolean, private readonly limit: number) {
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
    this.proc = spawnWorker(python, hashSeed, this.token);
    live.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => live.forEach((w) => killTree(w.proc.pid)));
    }
    const control = this.control;
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
      setTimeout(() => this.onClose(), CLOSE_GRACE_MS).unref();
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
    task.sentinel = Buffer.from(`\x00\x1ekb-end ${this.token} ${task.seq}\x1e\x00`);
    this.inflight.push(task);
    if (this.inflight.length === 1) this.setRef(true);
    const message = task.job ? { op: 'run', seq: task.seq, job: task.job } : { op: 'end', seq: task.seq, session: task.session };
    this.control.write(`${JSON.stringify(message)}\n`);
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
      const message = JSON.parse(this.controlText.slice(0, newline)) as Task['reply'] & { ready?: boolean };
      this.controlText = this.controlText.slice(newline + 1);
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
      head.resolve({ ...reply, stdout: head.out.text(), stderr: head.err.text() });
      // The worker exits after such a reply without touching the next job, which is requeued.
      if (reply.status === 'leaked' || reply.status === 'crashed') {
        this.kill({ status: 'skipped', message: '', loss: 'was replaced after an example left threads or processes running' });
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

  private onClose(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.timer);
    live.delete(this);
    for (const stream of [this.control, this.proc.stdout, this.proc.stderr]) stream?.destroy();
    const unfinished = this.inflight.filter((t) => !t.done);
    this.inflight.length = 0;
    const running = unfinished[0];
    const { exitCode, signalCode } = this.proc;
    const how = signalCode ? `crashed (${signalCode})` : `exited with code ${exitCode}`;
    const ending = this.ending ?? {
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

export class PythonPool {
  private readonly size: number;
  private readonly limit: number;
  private python?: PythonInfo;
  private pythonPromise?: Promise<void>;
  private readonly queue: Task[] = [];
  private workers: Worker[] = [];
  private readonly sessionWorkers = new Map<string, Worker>();
  /** Sessions whose worker died: their later jobs fail until endSession(). */
  private readonly lostSessions = new Map<string, string>();
  private closed = false;
  private readonly host: Host = {
    workerFinished: (worker, unfinished, loss) => this.workerFinished(worker, unfinished, loss),
    pump: () => this.pump(),
  };

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? 1));
    this.limit = options.outputLimitBytes ?? MiB;
    this.python = options.python;
  }

  /** Resolves with the result; rejects only when no Python interpreter can be found. */
  run(job: PythonJob): Promise<PythonResult> {
    return new Promise((resolve, reject) => {
      const task = this.task(resolve, job.isolate === 'process' ? undefined : job.session, job);
      if (this.closed) finish(task, 'skipped', 'the Python pool is closed');
      else this.enqueue(task, reject);
    });
  }

  /** Drop a session: cancel its tasks, close its loop, forget its globals. Runs after its queued jobs. */
  endSession(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) resolve();
      else this.enqueue(this.task(() => resolve(), id), reject);
    });
  }

  /** Kill every worker; queued and running jobs resolve as 'skipped'. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) finish(task, 'skipped', 'the Python pool was closed before this example ran');
    const workers = [...this.workers];
    for (const w of workers) w.kill({ task: w.inflight[0], status: 'skipped', message: 'the Python pool was closed while this example ran', loss: 'was closed' });
    await Promise.all(workers.map((w) => w.closed));
  }

  private task(resolve: (r: PythonResult) => void, session: string | undefined, job?: PythonJob): Task {
    const task: Task = { resolve, seq: 0, sentinel: Buffer.alloc(0), out: new Capture(this.limit), err: new Capture(this.limit), done: false };
    if (job) task.job = job;
    if (session !== undefined) task.session = session;
    return task;
  }

  private enqueue(task: Task, reject: (error: unknown) => void): void {
    this.queue.push(task);
    if (this.python) return this.pump();
    this.pythonPromise ??= resolvePython().then((python) => void (this.python = python));
    this.pythonPromise.then(
      () => this.pump(),
      (error: unknown) => {
        const at = this.queue.indexOf(task);
        if (at >= 0) this.queue.splice(at, 1);
        reject(error);
      },
    );
  }

  private lostMessage(session: string): string {
    return `not run: session "${session}" is gone, globals and event loop: its worker ${this.lostSessions.get(session)}. Call endSession("${session}") to start it anew`;
  }

  /** Hand queued tasks to workers, in order; a session's tasks never overtake each other. */
  private pump(): void {
    const python = this.python;
    if (!python || this.closed) return;
    const blocked = new Set<string>();
    let i = 0;
    // Stop at the first task that finds no room when no worker can take anything: O(1) per call
    // while a long queue waits, instead of a scan of the whole queue after every result.
    while (i < this.queue.length && (i === 0 || this.hasRoom())) {
      const task = this.queue[i] as Task;
      const session = task.session;
      if (session !== undefined && blocked.has(session)) {
        i++;
      } else if (this.dispatch(task, python)) {
        this.queue.splice(i, 1);
      } else {
        if (session !== undefined) blocked.add(session);
        i++;
      }
    }
  }

  /** Send, or settle at once; false when the task has to wait. */
  private dispatch(task: Task, python: PythonInfo): boolean {
    const session = task.session;
    if (!task.job) {
      // endSession goes behind the session's jobs on its worker; later jobs with that id start fresh.
      const worker = this.sessionWorkers.get(session as string);
      if (worker && worker.inflight.length >= PIPELINE_DEPTH) return false;
      this.forget(session as string);
      if (worker) worker.send(task);
      else finish(task, 'passed', undefined);
      return true;
    }
    if (session !== undefined && this.lostSessions.has(session)) {
      finish(task, 'crashed', this.lostMessage(session));
      return true;
    }
    const worker = this.pick(task.job, python);
    if (!worker) return false;
    if (session !== undefined) {
      this.sessionWorkers.set(session, worker);
      worker.sessions.add(session);
    }
    worker.send(task);
    return true;
  }

  private forget(session: string): void {
    this.sessionWorkers.get(session)?.sessions.delete(session);
    this.sessionWorkers.delete(session);
    this.lostSessions.delete(session);
  }

  private permanent(): Worker[] {
    return this.workers.filter((w) => !w.throwaway && w.accepting);
  }

  private hasRoom(): boolean {
    const workers = this.permanent();
    return workers.length < this.size || workers.some((w) => w.inflight.length < PIPELINE_DEPTH);
  }

  private pick(job: PythonJob, python: PythonInfo): Worker | undefined {
    const seed = job.hashSeed ?? '0';
    if (job.isolate === 'process') return this.spawn(python, seed, true);
    const bound = job.session === undefined ? undefined : this.sessionWorkers.get(job.session);
    if (bound) return bound.inflight.length < PIPELINE_DEPTH ? bound : undefined;
    const workers = this.permanent();
    // Least busy first; on a tie, the one holding fewer sessions, which a crash would take along.
    let best: Worker | undefined;
    for (const w of workers) {
      if (w.hashSeed !== seed || w.inflight.length >= PIPELINE_DEPTH) continue;
      const load = (x: Worker): number => x.inflight.length * 1000 + x.sessions.size;
      if (!best || load(w) < load(best)) best = w;
    }
    if ((!best || best.inflight.length > 0) && workers.length < this.size) return this.spawn(python, seed, false);
    if (best) return best;
    // Full of workers for other hash seeds: retire an idle one that holds no session.
    const idle = workers.find((w) => w.hashSeed !== seed && w.inflight.length === 0 && w.sessions.size === 0);
    idle?.kill({ status: 'skipped', message: '', loss: 'was retired' });
    return idle ? this.spawn(python, seed, false) : undefined;
  }

  private spawn(python: PythonInfo, seed: string, throwaway: boolean): Worker {
    const worker = new Worker(this.host, python, seed, throwaway, this.limit);
    this.workers.push(worker);
    return worker;
  }

  private workerFinished(worker: Worker, unfinished: Task[], loss: string): void {
    this.workers = this.workers.filter((w) => w !== worker);
    for (const session of worker.sessions) {
      if (this.sessionWorkers.get(session) === worker) {
        this.sessionWorkers.delete(session);
        if (worker.used.has(session)) this.lostSessions.set(session, loss);
      }
    }
    const requeue: Task[] = [];
    for (const task of unfinished) {
      task.out = new Capture(this.limit);
      task.err = new Capture(this.limit);
      delete task.reply;
      delete task.startedAt;
      if (this.closed) finish(task, 'skipped', 'the Python pool was closed before this example ran');
      else if (!task.job) finish(task, 'passed', undefined); // a session end whose worker is gone: nothing left to end
      else if (task.session !== undefined && this.lostSessions.has(task.session)) finish(task, 'crashed', this.lostMessage(task.session));
      else requeue.push(task); // never started: safe to run elsewhere
    }
    this.queue.unshift(...requeue);
    this.pump();
  }
}

let shared: PythonPool | undefined;

/** One pool per process, created lazily; its workers die with the process (see the exit hook). */
export function sharedPool(): PythonPool {
  shared ??= new PythonPool();
  return shared;
}
