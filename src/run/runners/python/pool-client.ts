/**
 * A test worker's side of the pool server (pool-server.ts): the same `run` and `endSession` as
 * the in-process pool, sent over the server's unix socket. When the server cannot be reached
 * (it was never started, as in a programmatic run of NoteRun, or it is gone), the in-process pool
 * takes the jobs instead: slower to start, the same guarantees.
 */
import net from 'node:net';
import { tickWriter } from './tick-writer.ts';
import { PythonUnavailableError } from './interpreter.ts';
import type { PoolAddress, PoolReply, PoolRequest } from './pool-server.ts';
import type { WorkerSandbox } from './interpreter.ts';
import type { PythonJob, PythonResult } from './types.ts';

export interface PoolLike {
  run(job: PythonJob, sandbox?: WorkerSandbox): Promise<PythonResult>;
  endSession(id: string): Promise<void>;
}

interface Pending {
  resolve(result: PythonResult): void;
  reject(error: unknown): void;
}

export class PoolClient implements PoolLike {
  private socket?: net.Socket;
  /** Settles with whether the server answered the connection. */
  private connecting?: Promise<boolean>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private buffered = '';
  private write?: (text: string) => void;

  constructor(
    private readonly address: PoolAddress,
    /** Where jobs go when the server cannot be reached. */
    private readonly fallback: () => PoolLike,
  ) {}

  async run(job: PythonJob, sandbox?: WorkerSandbox): Promise<PythonResult> {
    if (!(await this.connect())) return this.fallback().run(job, sandbox);
    return this.request({ op: 'run', job, ...(sandbox ? { sandbox } : {}) });
  }

  async endSession(id: string): Promise<void> {
    if (!(await this.connect())) return this.fallback().endSession(id);
    await this.request({ op: 'end', session: id });
  }

  /** Hang up (what is still waiting settles as not run); the server ends this client's sessions. */
  close(): void {
    this.socket?.destroy();
  }

  private connect(): Promise<boolean> {
    return (this.connecting ??= new Promise<boolean>((resolve) => {
      const socket = net.connect(this.address.socket);
      socket.once('connect', () => {
        socket.setEncoding('utf8');
        socket.write(`${this.address.token}\n`);
        this.socket = socket;
        this.write = tickWriter(socket);
        socket.unref();
        resolve(true);
      });
      socket.on('data', (chunk: string) => this.onData(chunk));
      socket.on('error', () => resolve(false));
      socket.on('close', () => this.lost());
    }));
  }

  private request(body: DistributiveOmit<PoolRequest, 'id'>): Promise<PythonResult> {
    const id = ++this.nextId;
    return new Promise<PythonResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Waiting for an answer keeps the test worker alive; an idle connection does not.
      if (this.pending.size === 1) this.socket?.ref();
      this.write!(`${JSON.stringify({ id, ...body })}\n`);
    });
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const reply = JSON.parse(this.buffered.slice(0, newline)) as PoolReply;
      this.buffered = this.buffered.slice(newline + 1);
      const waiting = this.pending.get(reply.id);
      if (!waiting) continue;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) this.socket?.unref();
      if ('result' in reply) waiting.resolve(reply.result);
      else waiting.reject(revive(reply.error));
    }
  }

  /** The server went away: what was sent did not run here; later jobs use the fallback. */
  private lost(): void {
    this.connecting = Promise.resolve(false);
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.resolve({ status: 'skipped', stdout: '', stderr: '', durationMs: 0, message: 'the Python pool server closed before this example finished' });
    }
  }
}

/** The pool's one documented rejection keeps its class across the socket. */
function revive(error: { name: string; message: string }): Error {
  const revived = error.name === 'PythonUnavailableError' ? new PythonUnavailableError(error.message) : new Error(error.message);
  revived.name = error.name;
  return revived;
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
