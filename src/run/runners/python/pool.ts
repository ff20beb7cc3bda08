/**
 * The Node side of the Python workers: a pool of warm interpreters, and
 * recovery from what in-process execution cannot contain (timeouts, crashes,
 * runaway output, leftover threads and processes).
 *
 * Jobs queue here and go to workers (worker-process.ts, which speaks the wire
 * protocol with one process). Up to PIPELINE_DEPTH jobs are written ahead so a
 * worker never idles waiting for a round trip.
 *
 * A session gets a worker of its own, which runs nothing else and is dropped when
 * the session ends: another note's example can then neither see its state nor end
 * it. A worker retired after an example (state it cannot put back) or taken by a
 * session is replaced by a spare started in advance, so nobody waits for a cold
 * start.
 */
import { resolvePython, type PythonInfo, type WorkerSandbox } from './interpreter.ts';
import { withoutSetupAndTeardown } from './framing.ts';
import { activeSettings, type RunSettings } from '../../settings.ts';
import { profileKey } from '../../sandbox/limits.ts';
import { useBwrap } from '../../sandbox/launcher.ts';
import { Capture, finish, type Task } from './task.ts';
import type { PythonJob, PythonResult } from './types.ts';
import { MiB, Worker, type Host } from './worker-process.ts';

export { PythonUnavailableError, resolvePython, type PythonInfo } from './interpreter.ts';

export interface PoolOptions {
  /** Number of warm workers (default 1). Throwaway `isolate: 'process'` workers come on top. */
  size?: number;
  /** Cap on each of stdout and stderr per job (default 1 MiB). */
  outputLimitBytes?: number;
  python?: PythonInfo;
  settings?: RunSettings;
}

const PIPELINE_DEPTH = 8;

export class PythonPool {
  private readonly size: number;
  private readonly limit: number;
  private python?: PythonInfo;
  private pythonPromise?: Promise<void>;
  private readonly queue: Task[] = [];
  private workers: Worker[] = [];
  private readonly sessionWorkers = new Map<string, Worker>();
  /** Workers that belong to one session and take no other job. */
  private readonly dedicated = new Set<Worker>();
  /** A started, idle worker that takes over when one is retired or a session begins. */
  private spare?: Worker;
  /** Sessions whose worker died: their later jobs fail until endSession(). */
  private readonly lostSessions = new Map<string, string>();
  /** The job of a session that ended its worker, to name it to the session's later jobs. */
  private readonly culprits = new Map<string, PythonJob>();
  private closed = false;
  private readonly host: Host = {
    workerFinished: (worker, unfinished, loss) => this.workerFinished(worker, unfinished, loss),
    pump: () => this.pump(),
  };

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? 1));
    this.limit = options.outputLimitBytes ?? MiB;
    this.python = options.python;
    this.settings = options.settings ?? activeSettings();
  }

  private readonly settings: RunSettings;

  /** The sandbox of a job that asks for none: the settings' network and limits. */
  private defaultSandbox(): WorkerSandbox {
    return { network: this.settings.network, limits: this.settings.limits, readable: [] };
  }

  /** Resolves with the result; rejects only when no Python interpreter can be found. */
  run(job: PythonJob, sandbox?: WorkerSandbox): Promise<PythonResult> {
    return new Promise((resolve, reject) => {
      const task = this.task(resolve, job.isolate === 'process' ? undefined : job.session, job);
      task.sandbox = sandbox ?? this.defaultSandbox();
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
    const settle = (result: PythonResult): void => {
      if (job && task.cut && (job.setup?.length || job.teardown?.length)) {
        // What hidden setup and teardown printed is not the example's output.
        result.stdout = withoutSetupAndTeardown(result.stdout, task.cut, Boolean(job.setup?.length), Boolean(job.teardown?.length));
      }
      if (job && session !== undefined && ['timeout', 'crashed', 'output-limit', 'leaked'].includes(result.status)) this.culprits.set(session, job);
      resolve(result);
    };
    const task: Task = { resolve: settle, seq: 0, sentinel: Buffer.alloc(0), out: new Capture(this.limit), err: new Capture(this.limit), done: false };
    if (job) task.job = job;
    if (session !== undefined) task.session = session;
    return task;
  }

  private enqueue(task: Task, reject: (error: unknown) => void): void {
    this.queue.push(task);
    if (this.python) return this.pump();
    this.pythonPromise ??= resolvePython(this.settings).then((python) => {
      useBwrap(this.settings); // with sandbox: 'required' and no bubblewrap, every job fails with that one message
      this.python = python;
    });
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
    const culprit = this.culprits.get(session);
    const where = culprit ? ` (the block at ${culprit.filename}:${culprit.firstLine})` : '';
    return `not run: session "${session}" lost its interpreter, globals and event loop: its worker ${this.lostSessions.get(session)}${where}. This block needs the state of the blocks before it; fix the block that ended the session`;
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
      if (!worker) {
        finish(task, 'passed', undefined);
        return true;
      }
      const resolve = task.resolve;
      task.resolve = (result) => {
        resolve(result);
        // The session's worker served only it: dropped with it, never handed to anyone else.
        if (this.dedicated.has(worker) && worker.sessions.size === 0) worker.kill({ status: 'skipped', message: '', loss: 'was closed with its session' });
      };
      worker.send(task);
      return true;
    }
    if (session !== undefined && this.lostSessions.has(session)) {
      finish(task, 'crashed', this.lostMessage(session));
      return true;
    }
    const worker = this.pick(task.job, python, task.sandbox ?? this.defaultSandbox());
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
    this.culprits.delete(session);
  }

  /** The workers that take ordinary jobs. */
  private permanent(): Worker[] {
    return this.workers.filter((w) => !w.throwaway && w.accepting && w !== this.spare && !this.dedicated.has(w));
  }

  private hasRoom(): boolean {
    const workers = this.permanent();
    return workers.length < this.size || workers.some((w) => w.inflight.length < PIPELINE_DEPTH);
  }

  private pick(job: PythonJob, python: PythonInfo, sandbox: WorkerSandbox): Worker | undefined {
    const seed = job.hashSeed ?? '0';
    const key = `${seed}\0${profileKey(sandbox.limits, sandbox.network)}\0${sandbox.readable.join('\0')}`;
    if (job.isolate === 'process') return this.spawn(python, seed, true, sandbox, key);
    if (job.session !== undefined) {
      const bound = this.sessionWorkers.get(job.session);
      if (bound) return bound.inflight.length < PIPELINE_DEPTH ? bound : undefined;
      const own = this.fresh(python, seed, sandbox, key);
      this.dedicated.add(own);
      return own;
    }
    const workers = this.permanent();
    // Least busy first; on a tie, the one holding fewer sessions, which a crash would take along.
    let best: Worker | undefined;
    for (const w of workers) {
      if (w.key !== key || w.inflight.length >= PIPELINE_DEPTH) continue;
      const load = (x: Worker): number => x.inflight.length * 1000 + x.sessions.size;
      if (!best || load(w) < load(best)) best = w;
    }
    if ((!best || best.inflight.length > 0) && workers.length < this.size) return this.fresh(python, seed, sandbox, key);
    if (best) return best;
    // Full of workers for other hash seeds or sandboxes: retire an idle one.
    const idle = workers.find((w) => w.key !== key && w.inflight.length === 0);
    idle?.kill({ status: 'skipped', message: '', loss: 'was retired' });
    return idle ? this.fresh(python, seed, sandbox, key) : undefined;
  }

  /** A new permanent worker: the spare if it suits, then a new spare is started behind it. */
  private fresh(python: PythonInfo, seed: string, sandbox: WorkerSandbox, key: string): Worker {
    let worker = this.spare;
    this.spare = undefined;
    if (!worker?.accepting || worker.key !== key) {
      worker?.kill({ status: 'skipped', message: '', loss: 'was a spare for another hash seed or sandbox' });
      worker = this.spawn(python, seed, false, sandbox, key);
    }
    this.spare = this.spawn(python, seed, false, sandbox, key);
    return worker;
  }

  private spawn(python: PythonInfo, seed: string, throwaway: boolean, sandbox: WorkerSandbox, key: string): Worker {
    const worker = new Worker(this.host, python, seed, throwaway, this.limit, this.settings, sandbox, key);
    this.workers.push(worker);
    return worker;
  }

  private workerFinished(worker: Worker, unfinished: Task[], loss: string): void {
    this.workers = this.workers.filter((w) => w !== worker);
    this.dedicated.delete(worker);
    if (this.spare === worker) this.spare = undefined;
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
export function sharedPool(settings?: RunSettings): PythonPool {
  shared ??= new PythonPool(settings ? { settings } : {});
  return shared;
}
