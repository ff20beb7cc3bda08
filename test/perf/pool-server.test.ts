/**
 * The Python pool as a server for the whole vitest process (pool-server.ts, pool-client.ts):
 * test workers come and go, the interpreters stay warm; nobody without the token gets a job run;
 * a test worker's sessions are its own and end with its connection; no server means the
 * in-process pool, with the same results.
 */
import { statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPoolServer, type PoolServer } from '../../src/run/runners/python/pool-server.ts';
import { PoolClient } from '../../src/run/runners/python/pool-client.ts';
import { PythonPool } from '../../src/run/runners/python/pool.ts';
import { hostPids, job } from '../run/python/fixtures/helpers.ts';
import { checkBwrap } from '../../src/run/sandbox/bwrap.ts';
import { runSettings } from '../../src/run/settings.ts';

const PID = 'import os; print(os.getpid())';

let server: PoolServer;
const fallbackPool = new PythonPool({ settings: hostPids });
const noFallback = () => {
  throw new Error('the server was reachable: the fallback must not be used');
};

beforeAll(async () => {
  // Unsandboxed: the tests tell workers apart by pid, which a sandbox's PID namespace hides.
  server = await startPoolServer({ settings: hostPids, size: 1 });
});
afterAll(async () => {
  await server.close();
  await fallbackPool.close();
});

/** A client as a test worker has one: connects on first use, dropped at the end of its run. */
function client(address = server.address, fallback: () => PythonPool = noFallback) {
  return new PoolClient(address, fallback);
}

/**
 * A raw connection to the socket, as any process of this user could make one: what came back,
 * up to the first whole line or until the server hangs up.
 */
function rawExchange(lines: string[]): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(server.address.socket);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(lines.join('\n') + '\n'));
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (received.includes('\n')) socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(received));
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

describe('the pool server', () => {
  it('keeps its interpreter warm for the next test worker, each example in a fresh namespace', async () => {
    const first = client();
    const a = await first.run(job(`${PID}\nleft_behind = 1`));
    expect(a.status).toBe('passed');
    first.close();
    const second = client();
    const b = await second.run(job(`${PID}\nprint('left_behind' in globals())`));
    expect(b.status, b.stderr).toBe('passed');
    const [pidB, seen] = b.stdout.trim().split('\n');
    expect(pidB).toBe(a.stdout.trim());
    expect(seen).toBe('False');
    second.close();
  });

  it('lives in a folder only its owner can enter', () => {
    expect(statSync(path.dirname(server.address.socket)).mode & 0o777).toBe(0o700);
  });

  it('runs nothing for a client without the token, or with a wrong one', async () => {
    const request = JSON.stringify({ id: 1, op: 'run', job: job('print("ran")') });
    expect(await rawExchange([request])).toBe('');
    expect(await rawExchange(['0'.repeat(64), request])).toBe('');
    expect(await rawExchange([server.address.token.slice(0, 63), request])).toBe('');
    // The same request with the token is answered: the refusals above were the token's doing.
    const answer = await rawExchange([server.address.token, request]);
    expect(JSON.parse(answer.split('\n')[0]!)).toMatchObject({ id: 1, result: { status: 'passed', stdout: 'ran\n' } });
  });

  it("keeps a test worker's session to itself, and ends it when that worker goes away", async () => {
    const owner = client();
    const other = client();
    const session = '/kb/notes/a.md#s';
    expect((await owner.run(job('x = 41', { session }))).status).toBe('passed');
    // Another test worker naming the same session starts from nothing.
    const intruder = await other.run(job('print(x)', { session }));
    expect(intruder.status).toBe('failed');
    expect(intruder.exception?.type).toBe('NameError');
    expect((await owner.run(job('print(x + 1)', { session }))).stdout).toBe('42\n');
    await other.endSession(session);
    owner.close();
    other.close();
    // A new connection with the same session id finds no state left.
    const later = client();
    const fresh = await later.run(job('print(x)', { session }));
    expect(fresh.exception?.type).toBe('NameError');
    await later.endSession(session);
    later.close();
  });

  it('names the session as the note does in what it reports, without its connection prefix', async () => {
    const c = client();
    const session = '/kb/notes/b.md#crash';
    const crashed = await c.run(job('import os; os._exit(3)', { session }));
    expect(crashed.status).toBe('crashed');
    const after = await c.run(job('print(1)', { session }));
    expect(after.message).toContain('session "/kb/notes/b.md#crash"');
    expect(after.message).not.toContain('\u0000');
    await c.endSession(session);
    c.close();
  });
});

describe('what an example can find of the server', () => {
  it('unsandboxed, the token is in no command line or environment it can read', async () => {
    const c = client();
    const hunt = `
import os
found = []
for pid in os.listdir('/proc'):
    if not pid.isdigit():
        continue
    for part in ('cmdline', 'environ'):
        try:
            with open(f'/proc/{pid}/{part}', 'rb') as f:
                if ${JSON.stringify(server.address.token)}.encode() in f.read():
                    found.append((pid, part))
        except OSError:
            pass
print(found)`;
    const result = await c.run(job(hunt));
    expect([result.status, result.stdout]).toEqual(['passed', '[]\n']);
    c.close();
  });

  const bwrap = checkBwrap('bwrap');
  it.skipIf(!bwrap.ok)('sandboxed, it cannot see the socket at all (a private /tmp)', async () => {
    const sandboxed = await startPoolServer({ settings: runSettings({ sandbox: 'required' }), size: 1 });
    try {
      const c = client(sandboxed.address);
      const socketDir = path.dirname(sandboxed.address.socket);
      const result = await c.run(job(`import os\nprint(os.path.exists(${JSON.stringify(socketDir)}), os.path.exists(${JSON.stringify(sandboxed.address.socket)}))`));
      expect([result.status, result.stdout]).toEqual(['passed', 'False False\n']);
      c.close();
    } finally {
      await sandboxed.close();
    }
  });
});

describe('without a server', () => {
  it('runs the jobs in the in-process pool, with the same result', async () => {
    const gone = client({ socket: path.join(path.dirname(server.address.socket), 'no-such.sock'), token: 'x' }, () => fallbackPool);
    const result = await gone.run(job('print(6 * 7)'));
    expect([result.status, result.stdout]).toEqual(['passed', '42\n']);
    gone.close();
  });
});
