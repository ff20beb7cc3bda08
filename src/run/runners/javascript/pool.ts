/**
 * The Node side of the JavaScript example processes (child.mjs).
 *
 * Why a reused child process and not a worker thread: a process can chdir
 * into each example's temp directory (workers cannot), gets the reduced
 * environment, can call process.exit() like a real script, and is killed for
 * sure (SIGKILL of its process group, with any subprocess the example
 * started) even when stuck in native code, where worker.terminate() waits.
 * Reuse keeps the cost per example at a few milliseconds; the process is
 * replaced after a timeout, runaway output, a crash or leftover handles.
 *
 * Lanes run jobs one at a time: one shared lane for ordinary examples, one per
 * session (its process holds the session's globals), a throwaway one for
 * `isolate: 'process'`. A session whose process died is "lost": its later
 * blocks are not run (state would be missing) until endSession().
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { makeSandbox, type Sandbox } from '../../sandbox/folders.ts';
import { hasDescendants, killTree } from '../../sandbox/process-tree.ts';
import { formatSize as bytes } from '../../sandbox/limits.ts';

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(3))} s`;
import { Capture } from '../../sandbox/capture.ts';
import { exampleEnv } from '../../sandbox/env.ts';
import { launch, useBwrap, type Launched, type SandboxRequest } from '../../sandbox/launcher.ts';
import { profileKey } from '../../sandbox/limits.ts';
import { runFolder } from '../../sandbox/cleanup.ts';
import type { RunSettings } from '../../settings.ts';

/** Where a JavaScript process runs: its sandbox's network and limits, the folders it reads. */
export interface ChildSpec {
  settings: RunSettings;
  request: SandboxRequest;
  /** The notes' repository and where the example modules are written. */
  readable: string[];
}

function specKey(spec: ChildSpec): string {
  return `${profileKey(spec.request.limits, spec.request.network)}\0${spec.readable.join('\0')}`;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./child.mjs', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
/** After the result arrives, how long the output sentinels may lag behind. */
const SENTINEL_GRACE_MS = 2_000;
/** After the process exits, how long a straggler holding the pipes may delay the outcome. */
const CLOSE_GRACE_MS = 1_000;

export interface ChildPart {
  url: string;
  names: string[];
  role: 'setup' | 'code' | 'teardown';
}

export interface ChildJob {
  parts: ChildPart[];
  /** Written on stdout after the setup parts and before the teardown parts. */
  cut: string;
  cwd: string;
  home: string;
  tmp: string;
  requireFrom: string;
  session: boolean;
  needsTs: boolean;
  timeoutMs: number;
}

export interface ChildRaised {
  role: 'setup' | 'code' | 'teardown';
  index: number;
  type: string;
  qualifiedNames: string[];
  message: string;
  stack: string;
  async?: boolean;
}

export interface ChildOutcome {
  /** done: the job ran to its end; exited: the example ended the process itself. */
  kind: 'done' | 'timeout' | 'output-limit' | 'exited' | 'crashed';
  stdout: string;
  stderr: string;
  durationMs: number;
  error?: ChildRaised;
  teardownError?: ChildRaised;
  exitCode?: number;
  message?: string;
}

interface Reply {
  type: 'result';
  id: number;
  error?: ChildRaised;
  teardownError?: ChildRaised;
  exitCode?: number;
  leftover: string[];
  streamsOk: boolean;
}

interface Task {
  id: number;
  job: ChildJob;
  sentinel: Buffer;
  out: Capture;
  err: Capture;
  outDone: boolean;
  errDone: boolean;
  reply?: Reply;
  pending?: string[];
  startedAt: number;
  resolve(outcome: ChildOutcome): void;
}

interface Ending {
  kind: ChildOutcome['kind'];
  message: string;
  /** How a session lane describes the loss. */
  loss: string;
}


/** The lane's private /tmp (a tmpfs the size of the disk limit) holds this run's folders there. */
const LANE_TMP = '/tmp/kb-lane';

function insideLane(hostPath: string): string {
  return path.posix.join(LANE_TMP, path.relative(runFolder(), hostPath).split(path.sep).join('/'));
}

function launchedInside(inside: (hostPath: string) => string): boolean {
  return inside === insideLane;
}

export class JsChild {
  readonly proc: ChildProcess;
  readonly pid: number | undefined;
  readonly ready: Promise<void>;
  gone = false;
  /** Set when the process should not take another job (leftovers, broken streams). */
  retired = false;
  private readonly sandbox: Sandbox;
  private readonly token = randomBytes(8).toString('hex');
  private readonly forget: () => void;
  private seq = 0;
  private task?: Task;
  private ending?: Ending;
  private timer?: NodeJS.Timeout;
  private graceTimer?: NodeJS.Timeout;
  private readonly carry = { out: Buffer.alloc(0), err: Buffer.alloc(0) };
  /** Output that arrived between jobs (a session's timers): it goes to the next job. */
  private readonly stray = { out: [] as Buffer[], err: [] as Buffer[] };
  private markReady!: () => void;
  private failReady!: (error: Error) => void;
  lossReason = '';
  private startError?: string;

  readonly key: string;
  /** Where a host folder of this run is seen by the lane (see the constructor). */
  private inside: (hostPath: string) => string = (p) => p;
  private readonly launched?: Launched;
  private readonly limit: number;

  constructor(spec: ChildSpec) {
    this.key = specKey(spec);
    this.limit = spec.request.limits.output;
    this.sandbox = makeSandbox('kb-js-');
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    this.ready.catch(() => {});
    let launched: Launched | undefined;
    try {
      // In a sandbox every folder an example writes (the lane's and each job's, named by index.ts
      // in this run's folder) is made inside the sandbox's private /tmp, whose size is the disk
      // limit; nothing of the host is writable. Without one they are the host folders themselves.
      this.inside = useBwrap(spec.settings) ? insideLane : (p: string) => p;
      const inside = this.inside;
      launched = launch(process.execPath, [CHILD_SCRIPT, inside(this.sandbox.base)], {
        settings: spec.settings,
        request: spec.request,
        env: exampleEnv(spec.settings, { home: inside(this.sandbox.home), tmp: inside(this.sandbox.tmp) }),
        cwd: inside(this.sandbox.work),
        ...(launchedInside(inside) ? { writable: [], dirs: [inside(this.sandbox.work), inside(this.sandbox.home), inside(this.sandbox.tmp)] } : { writable: [runFolder()] }),
        readable: spec.readable,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
    } catch (error) {
      this.startError = (error as Error).message;
    }
    this.launched = launched;
    this.proc = launched?.child ?? (nullProcess() as unknown as ChildProcess);
    this.pid = this.proc.pid;
    this.forget = () => this.launched?.dispose();
    this.proc.on('message', (message: { type: string }) => this.onMessage(message));
    (this.proc.stdout as Readable | null)?.on('data', (chunk: Buffer) => this.onOutput('out', chunk));
    (this.proc.stderr as Readable | null)?.on('data', (chunk: Buffer) => this.onOutput('err', chunk));
    for (const stream of [this.proc.stdout, this.proc.stderr]) stream?.on('error', () => {});
    this.proc.on('error', (error) => {
      this.ending ??= { kind: 'crashed', message: `could not start the JavaScript worker: ${error.message}`, loss: 'could not start' };
      if (this.pid === undefined) this.onClose();
    });
    this.proc.on('exit', () => {
      killTree(this.pid); // subprocesses of the example, which may hold the pipes open
      setTimeout(() => this.onClose(), CLOSE_GRACE_MS).unref();
    });
    this.proc.on('close', () => this.onClose());
    this.timer = setTimeout(() => {
      this.kill({ kind: 'crashed', message: `the JavaScript worker did not start within ${seconds(STARTUP_TIMEOUT_MS)}`, loss: 'did not start' });
    }, STARTUP_TIMEOUT_MS);
    this.timer.unref();
    this.setRef(false);
    if (this.startError !== undefined) {
      this.ending = { kind: 'crashed', message: this.startError, loss: 'could not start' };
      this.onClose();
    }
  }

  /** An idle process must not keep Node alive; the exit hook kills it when Node ends. */
  private setRef(on: boolean): void {
    const handles = [this.proc, this.proc.channel, this.proc.stdout, this.proc.stderr] as Array<{ ref?(): void; unref?(): void } | null | undefined>;
    for (const handle of handles) {
      if (on) handle?.ref?.();
      else handle?.unref?.();
    }
  }

  execute(job: ChildJob): Promise<ChildOutcome> {
    return new Promise((resolve) => {
      const fail = (message: string) => resolve({ kind: 'crashed', stdout: '', stderr: '', durationMs: 0, message });
      if (this.gone) return fail(`the JavaScript worker ${this.lossReason || 'is gone'}`);
      this.setRef(true);
      this.ready.then(
        () => {
          if (this.gone) return fail(`the JavaScript worker ${this.lossReason || 'is gone'}`);
          this.start(job, resolve);
        },
        (error: Error) => fail(error.message),
      );
    });
  }

  private start(job: ChildJob, resolve: (outcome: ChildOutcome) => void): void {
    const id = ++this.seq;
    const task: Task = {
      id,
      job,
      sentinel: Buffer.from(`\x00\x1ekb-end ${this.token} ${id}\x1e\x00`),
      out: new Capture(this.limit),
      err: new Capture(this.limit),
      outDone: false,
      errDone: false,
      startedAt: performance.now(),
      resolve,
    };
    this.task = task;
    for (const which of ['out', 'err'] as const) for (const chunk of this.stray[which].splice(0)) task[which].add(chunk);
    const { timeoutMs, ...message } = job;
    const inside = this.inside;
    const folders = launchedInside(inside)
      ? { cwd: inside(job.cwd), home: inside(job.home), tmp: inside(job.tmp), makeDirs: true, removeDirs: !job.session }
      : {};
    this.proc.send({ type: 'run', id, sentinel: task.sentinel.toString('latin1'), ...message, ...folders });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const pending = task.pending?.length ? `; still pending when it was stopped: ${task.pending.join(', ')}` : '';
      this.kill({
        kind: 'timeout',
        message: `timed out after ${seconds(timeoutMs)}${pending}; the worker was killed and replaced`,
        loss: 'was killed after an example timed out',
      });
    }, timeoutMs);
  }

  private onMessage(message: { type: string; id?: number; pending?: string[]; message?: string }): void {
    if (message.type === 'ready') {
      clearTimeout(this.timer);
      this.markReady();
      return;
    }
    const task = this.task;
    if (!task || message.id !== task.id) return;
    if (message.type === 'waiting') task.pending = message.pending ?? [];
    else if (message.type === 'fatal') {
      this.kill({ kind: 'crashed', message: `the JavaScript worker failed: ${message.message ?? ''}`, loss: 'failed' });
    } else if (message.type === 'result') {
      task.reply = message as unknown as Reply;
      if (!task.reply.streamsOk) {
        // The example closed stdout/stderr: the sentinels will not come.
        task.outDone = task.errDone = true;
        this.retired = true;
      }
      this.settle();
      if (this.task === task) {
        this.graceTimer = setTimeout(() => {
          task.outDone = task.errDone = true;
          this.retired = true;
          this.settle();
        }, SENTINEL_GRACE_MS);
      }
    }
  }

  /** Split a stream at the current job's sentinel. */
  private onOutput(which: 'out' | 'err', chunk: Buffer): void {
    const task = this.task;
    const done = which === 'out' ? 'outDone' : 'errDone';
    if (!task || task[done]) {
      this.stray[which].push(chunk);
      return;
    }
    const data = this.carry[which].length > 0 ? Buffer.concat([this.carry[which], chunk]) : chunk;
    this.carry[which] = Buffer.alloc(0);
    const at = data.indexOf(task.sentinel);
    const cut = at >= 0 ? at : Math.max(0, data.length - (task.sentinel.length - 1));
    if (!task[which].add(data.subarray(0, cut)) && !this.ending) {
      const stream = which === 'out' ? 'stdout' : 'stderr';
      this.kill({
        kind: 'output-limit',
        message: `${stream} exceeded ${bytes(this.limit)}; output cut and the worker was killed and replaced`,
        loss: 'was killed after an example exceeded the output limit',
      });
      return;
    }
    if (at < 0) {
      this.carry[which] = Buffer.from(data.subarray(cut));
      return;
    }
    task[done] = true;
    const rest = data.subarray(at + task.sentinel.length);
    if (rest.length > 0) this.stray[which].push(Buffer.from(rest));
    this.settle();
  }

  private settle(): void {
    const task = this.task;
    if (!task || !task.reply || !task.outDone || !task.errDone || this.gone) return;
    this.task = undefined;
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    this.setRef(false);
    const reply = task.reply;
    // Something of the example is still alive (an unref'd subprocess, a handle left after an
    // error): this process is not clean any more. Kill it (with its group) once the job is told.
    if (!task.job.session && (reply.leftover.length > 0 || hasDescendants(this.pid))) this.retired = true;
    const outcome: ChildOutcome = {
      kind: 'done',
      stdout: task.out.text(),
      stderr: task.err.text(),
      durationMs: performance.now() - task.startedAt,
    };
    if (reply.error) outcome.error = reply.error;
    if (reply.teardownError) outcome.teardownError = reply.teardownError;
    if (reply.exitCode !== undefined) outcome.exitCode = reply.exitCode;
    task.resolve(outcome);
    if (this.retired && !task.job.session) this.kill({ kind: 'crashed', message: '', loss: 'was retired' });
  }

  kill(ending: Ending): void {
    if (this.gone) return;
    this.ending ??= ending;
    clearTimeout(this.timer);
    killTree(this.pid);
  }

  private onClose(): void {
    if (this.gone) return;
    this.gone = true;
    clearTimeout(this.timer);
    clearTimeout(this.graceTimer);
    this.forget();
    for (const stream of [this.proc.stdout, this.proc.stderr]) stream?.destroy();
    this.sandbox.remove();
    const { exitCode, signalCode } = this.proc;
    const how = signalCode ? `was killed (${signalCode})` : `exited with code ${exitCode}`;
    this.lossReason = this.ending?.loss ?? how;
    this.failReady(new Error(this.ending?.message ?? `the JavaScript worker ${how} before it was ready`));
    const task = this.task;
    this.task = undefined;
    if (!task) return;
    for (const which of ['out', 'err'] as const) task[which].add(this.carry[which]);
    const base = { stdout: task.out.text(), stderr: task.err.text(), durationMs: performance.now() - task.startedAt };
    if (this.ending) {
      task.resolve({ kind: this.ending.kind, ...base, message: this.ending.message });
    } else if (exitCode !== null) {
      // process.exit(n) in the example: like a script, it ends there with that status.
      task.resolve({ kind: 'exited', ...base, exitCode, message: `the example called process.exit(${exitCode})` });
    } else {
      task.resolve({ kind: 'crashed', ...base, message: `the JavaScript worker ${how} while running this example; it was replaced` });
    }
  }
}

/** Runs jobs one after another on a (re)spawned child. */
export class Lane {
  private child?: JsChild;
  private chain: Promise<unknown> = Promise.resolve();
  private lost?: string;

  constructor(
    /** A session lane keeps its process: if it dies, the session is lost. */
    readonly session?: string,
  ) {}

  run(job: ChildJob, spec: ChildSpec): Promise<ChildOutcome> {
    const next = this.chain.then(() => this.exec(job, spec));
    this.chain = next.catch(() => {});
    return next;
  }

  private async exec(job: ChildJob, spec: ChildSpec): Promise<ChildOutcome> {
    if (this.lost !== undefined) {
      return { kind: 'crashed', stdout: '', stderr: '', durationMs: 0, message: this.lost };
    }
    // A process serves one kind of sandbox (limits, network); another kind gets a new one.
    if (!this.child || this.child.gone || this.child.retired || (this.session === undefined && this.child.key !== specKey(spec))) {
      if (this.child && !this.child.gone) this.child.kill({ kind: 'crashed', message: '', loss: 'was retired' });
      this.child = new JsChild(spec);
    }
    const child = this.child;
    const outcome = await child.execute(job);
    if (this.session !== undefined && (outcome.kind !== 'done' || child.retired)) {
      if (!child.lossReason) child.lossReason = 'closed its stdout or stderr';
      child.kill({ kind: 'crashed', message: '', loss: child.lossReason });
      this.lost = `not run: session "${this.session}" is gone: its worker ${child.lossReason || 'ended'} in an earlier example, taking its globals along. Call endSession("${this.session}") to start it anew`;
    }
    return outcome;
  }

  /** Kill the process after the jobs already queued. */
  async close(): Promise<void> {
    await this.chain;
    this.child?.kill({ kind: 'crashed', message: '', loss: 'was closed' });
    this.child = undefined;
  }
}

/** Stands in for a process that could not be launched (a required sandbox missing): it "closes" at once. */
function nullProcess(): Pick<ChildProcess, 'pid' | 'exitCode' | 'signalCode'> & Record<string, unknown> {
  const noop = () => undefined;
  return { pid: undefined, exitCode: 1, signalCode: null, stdout: null, stderr: null, channel: undefined, on: noop, send: noop, once: noop };
}
