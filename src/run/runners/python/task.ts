/**
 * One unit of work on its way through a worker: the job (or a session end),
 * its stdout/stderr as captured so far, and how it is settled.
 */
import type { PythonJob, PythonResult, PythonStatus } from './types.ts';
import type { WorkerSandbox } from './interpreter.ts';

/** One unit of work for a worker: a job, or (without `job`) ending a session. */
export interface Task {
  job?: PythonJob;
  /** The sandbox the job needs (network, limits, readable folders): workers are keyed by it. */
  sandbox?: WorkerSandbox;
  session?: string;
  resolve(result: PythonResult): void;
  seq: number;
  sentinel: Buffer;
  /** Marks where setup output ends and teardown output starts on stdout (framing.ts). */
  cut?: Buffer;
  out: Capture;
  err: Capture;
  reply?: PythonResult & { seq: number };
  startedAt?: number;
  done: boolean;
}

/** A job's stdout or stderr, kept up to a byte limit. */
export class Capture {
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

/** Settle a task that got no reply from Python, with the output captured so far. */
export function finish(task: Task, status: PythonStatus, message: string | undefined, durationMs = 0): void {
  task.done = true;
  const result: PythonResult = { status, stdout: task.out.text(), stderr: task.err.text(), durationMs };
  if (message) result.message = message;
  task.resolve(result);
}
