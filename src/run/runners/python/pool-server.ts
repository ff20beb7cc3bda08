/**
 * The Python pool as a small server for a whole vitest process: vitest's global setup starts it
 * in the main process, and every test worker (thread or fork) sends its jobs here over a unix
 * socket (pool-client.ts). The warm interpreters then outlive vitest's workers, which vitest ends
 * after every run: a watch-mode rerun and every test file find them started.
 *
 * Who may connect: the socket lives in a folder only this user can enter (mode 0700, with a
 * random name), and a client must send the run's random token as its first line before anything is
 * read from it. The token goes to the test workers through vitest's provided data, never through
 * argv or the environment; examples run in the Python workers, which are started by this process
 * with an allow-listed environment and (sandboxed) a private /tmp, so they can see neither.
 *
 * Isolation is the pool's own (pool.ts): every job runs in a fresh namespace and a session has a
 * worker of its own. A session id is also made private to its connection here, so a test worker
 * that went away (a cancelled watch run) can never hand its session's state to the next run; its
 * sessions end when its connection closes.
 *
 * Wire: JSON lines. Client → server `{id, op: 'run', job, sandbox}` or `{id, op: 'end', session}`;
 * server → client `{id, result}` or `{id, error: {name, message}}`.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { RunSettings } from '../../settings.ts';
import { removeAtExit, removeStale } from '../../sandbox/cleanup.ts';
import { PythonPool } from './pool.ts';
import { tickWriter } from './tick-writer.ts';
import type { WorkerSandbox } from './interpreter.ts';
import type { PythonJob, PythonResult } from './types.ts';

/** Where the server listens and what a client must present: handed to test workers as data. */
export interface PoolAddress {
  socket: string;
  token: string;
}

export interface PoolServerOptions {
  settings: RunSettings;
  /** Warm workers shared by all test workers (default: the machine's parallelism). */
  size?: number;
  /** For tests: the pool to serve (default: a new one). */
  pool?: PythonPool;
}

export interface PoolServer {
  address: PoolAddress;
  /** For the tests and the bench: how many clients have connected so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export type PoolRequest =
  | { id: number; op: 'run'; job: PythonJob; sandbox?: WorkerSandbox }
  | { id: number; op: 'end'; session: string };

export type PoolReply = { id: number; result: PythonResult } | { id: number; error: { name: string; message: string } };

/** Longest first line a client may send before it is dropped (the token is 64 hex digits). */
const MAX_TOKEN_LINE = 200;

export async function startPoolServer(options: PoolServerOptions): Promise<PoolServer> {
  const pool = options.pool ?? new PythonPool({ settings: options.settings, size: options.size ?? Math.max(1, os.availableParallelism()) });
  // `kb-pool-<pid>-<hex>`: removed when this process ends, however it ends (a SIGKILLed run's by the next).
  removeStale(os.tmpdir(), 'kb-pool-');
  const dir = path.join(os.tmpdir(), `kb-pool-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  const forgetDir = removeAtExit(dir);
  const socket = path.join(dir, 'pool.sock');
  const token = randomBytes(32).toString('hex');
  const expected = Buffer.from(token);
  const clients = new Set<net.Socket>();
  let connections = 0;

  const server = net.createServer((conn) => {
    clients.add(conn);
    const id = ++connections;
    // A session id private to this connection; stripped again from what goes back.
    const prefix = `${id}\u0000`;
    const sessions = new Set<string>();
    let authenticated = false;
    let buffered = '';
    conn.setEncoding('utf8');
    conn.on('error', () => {});
    const write = tickWriter(conn);
    const reply = (message: PoolReply): void => {
      if (!conn.destroyed) write(`${JSON.stringify(message)}\n`);
    };
    const handle = (request: PoolRequest): void => {
      if (request.op === 'end') {
        const session = prefix + request.session;
        sessions.delete(session);
        void pool.endSession(session).then(() => reply({ id: request.id, result: { status: 'passed', stdout: '', stderr: '', durationMs: 0 } }));
        return;
      }
      const job = { ...request.job };
      if (job.session !== undefined && job.isolate !== 'process') {
        job.session = prefix + job.session;
        sessions.add(job.session);
      }
      pool.run(job, request.sandbox).then(
        (result) => reply({ id: request.id, result: unprefixed(result, prefix) }),
        (error: unknown) => reply({ id: request.id, error: { name: (error as Error)?.name ?? 'Error', message: (error as Error)?.message ?? String(error) } }),
      );
    };
    conn.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (!authenticated) {
          const given = Buffer.from(line);
          if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void conn.destroy();
          authenticated = true;
          continue;
        }
        let request: PoolRequest;
        try {
          request = JSON.parse(line) as PoolRequest;
        } catch {
          return void conn.destroy();
        }
        handle(request);
      }
      if (!authenticated && buffered.length > MAX_TOKEN_LINE) conn.destroy();
    });
    conn.on('close', () => {
      clients.delete(conn);
      // A test worker that went away leaves no session behind (its state would reach nobody, but holds a worker).
      for (const session of sessions) void pool.endSession(session);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  // An idle server must not keep a vitest run alive; teardown closes it.
  server.unref();

  return {
    address: { socket, token },
    get connections() {
      return connections;
    },
    async close() {
      for (const conn of clients) conn.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
      forgetDir();
    },
  };
}

function unprefixed(result: PythonResult, prefix: string): PythonResult {
  if (!result.message?.includes(prefix)) return result;
  return { ...result, message: result.message.split(prefix).join('') };
}
