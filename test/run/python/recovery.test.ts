import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { hostPids, job, pids, waitGone } from './fixtures/helpers.ts';

const pool = new PythonPool({ outputLimitBytes: 64 * 1024, settings: hostPids });
afterAll(() => pool.close());

const WHO = 'import os\nprint(f"pid={os.getpid()}", flush=True)\n';

describe('recovering from what an example cannot contain', () => {
  it('kills a job that runs too long, with its children, and runs the next one', async () => {
    const [slow, next] = await Promise.all([
      // The child starts its own session, so only the /proc walk (not the group kill) can find it.
      pool.run(job(`${WHO}import subprocess\np = subprocess.Popen(["sleep", "100"], start_new_session=True)\nprint(f"pid={p.pid}", flush=True)\nwhile True: pass`, { timeoutMs: 1000 })),
      pool.run(job(WHO)),
    ]);
    expect(slow.status).toBe('timeout');
    expect(slow.message).toBe('timed out after 1 s; the worker was killed and replaced');
    expect(slow.durationMs).toBeGreaterThanOrEqual(990);
    expect(next.status).toBe('passed');
    const [worker, child] = pids(slow.stdout);
    expect(pids(next.stdout)[0]).not.toBe(worker);
    expect(await waitGone([worker!, child!])).toEqual([]);
  });

  it.each([
    ['os._exit(3)', 'os._exit(3)', /exited with code 3/, ''],
    ['a segfault', 'import ctypes\nctypes.string_at(0)', /crashed \(SIGSEGV\)/, 'Fatal Python error: Segmentation fault'],
  ])('survives %s: only that job fails', async (_name, code, message, stderr) => {
    const [crash, after1, after2] = await Promise.all([pool.run(job(WHO + code, { firstLine: 20 })), pool.run(job(WHO)), pool.run(job('print("fine")'))]);
    expect(crash.status).toBe('crashed');
    expect(crash.message).toMatch(message);
    expect(crash.message).toMatch(/replaced/);
    expect(crash.stderr).toContain(stderr);
    expect([after1.status, after2.status]).toEqual(['passed', 'passed']);
    expect(after2.stdout).toBe('fine\n');
    expect(await waitGone(pids(crash.stdout))).toEqual([]);
  });

  it('names the note line in the stack printed for a segfault', async () => {
    const crash = await pool.run(job('import ctypes\n\nctypes.string_at(0)', { firstLine: 70 }));
    expect(crash.stderr).toMatch(/python-engine-test\.md", line 72/);
  });

  it('reports a leftover child process as leaked and kills it', async () => {
    const [leak, next] = await Promise.all([
      pool.run(job(`${WHO}import subprocess\np = subprocess.Popen(["sleep", "100"])\nprint(f"pid={p.pid}")`)),
      pool.run(job(WHO)),
    ]);
    expect(leak.status).toBe('leaked');
    const [worker, child] = pids(leak.stdout);
    expect(leak.message).toMatch(new RegExp(`left 1 child process running \\(pid ${child}: sleep 100\\)`));
    expect(next.status).toBe('passed');
    expect(pids(next.stdout)[0]).not.toBe(worker);
    expect(await waitGone([worker!, child!])).toEqual([]);
  });

  it.each([
    ['a non-daemon thread', 'threading.Thread(target=time.sleep, args=(100,), name="sleeper").start()', /1 thread running \(sleeper\)/],
    ['a daemon thread', 'threading.Thread(target=time.sleep, args=(100,), name="ghost", daemon=True).start()', /ghost/],
    ['a raw _thread', 'import _thread\n_thread.start_new_thread(time.sleep, (100,))', /1 thread running \(started with _thread\)/],
  ])('reports %s left running as leaked and replaces the worker', async (_name, code, message) => {
    const leak = await pool.run(job(`${WHO}import threading, time\n${code}`));
    expect(leak.status).toBe('leaked');
    expect(leak.message).toMatch(message);
    expect(await waitGone(pids(leak.stdout))).toEqual([]);
    expect((await pool.run(job('print("ok")'))).stdout).toBe('ok\n');
  });

  it('does not call a process or thread that ends on its own a leak', async () => {
    const result = await pool.run(job('import subprocess, threading, time\nsubprocess.Popen(["true"])\nthreading.Thread(target=time.sleep, args=(0.05,)).start()'));
    expect(result.status).toBe('passed');
  });

  it.each([
    ['stdout', 'import sys\nwhile True: sys.stdout.write("y" * 1000)'],
    ['stderr', 'import os\nwhile True: os.write(2, b"z" * 1000)'],
  ])('stops an example flooding %s at the cap', async (stream, code) => {
    const [flood, next] = await Promise.all([pool.run(job(code)), pool.run(job('print("next")'))]);
    expect(flood.status).toBe('output-limit');
    expect(flood.message).toBe(`${stream} exceeded 64 KiB; output cut. The worker was killed and replaced`);
    expect((stream === 'stdout' ? flood.stdout : flood.stderr).length).toBe(64 * 1024);
    expect(next).toMatchObject({ status: 'passed', stdout: 'next\n' });
  });

  it('caps at 1 MiB by default', async () => {
    const big = new PythonPool({ settings: hostPids });
    try {
      const exact = await big.run(job('import sys\nsys.stdout.write("x" * (1024 * 1024))'));
      expect(exact.status).toBe('passed');
      expect(exact.stdout.length).toBe(1024 * 1024);
      const over = await big.run(job('import sys\nsys.stdout.write("x" * (1024 * 1024 + 1))'));
      expect(over).toMatchObject({ status: 'output-limit', message: 'stdout exceeded 1 MiB; output cut. The worker was killed and replaced' });
    } finally {
      await big.close();
    }
  });

  it('runs isolate: "process" jobs in a throwaway worker', async () => {
    const warm = await pool.run(job(WHO));
    const isolated = await pool.run(job(`${WHO}import sys\nsys.modules["kb_marker"] = 1`, { isolate: 'process' }));
    const again = await pool.run(job(`${WHO}import sys\nprint("kb_marker" in sys.modules)`));
    expect(pids(isolated.stdout)[0]).not.toBe(pids(warm.stdout)[0]);
    expect(pids(again.stdout)[0]).toBe(pids(warm.stdout)[0]);
    expect(again.stdout).toContain('False');
    expect(await waitGone(pids(isolated.stdout))).toEqual([]);
  });

  it('leaves no process behind after close(), and skips what was still running', async () => {
    const own = new PythonPool({ size: 2, settings: hostPids });
    const marker = path.join(os.tmpdir(), `kb-close-test-${process.pid}-${Date.now()}`);
    const running = own.run(job(`${WHO}import subprocess, time\np = subprocess.Popen(["sleep", "100"])\nprint(f"pid={p.pid}", flush=True)\nopen(${JSON.stringify(marker)}, "w").close()\ntime.sleep(100)`));
    const other = await own.run(job(WHO));
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 25));
    rmSync(marker, { force: true });
    await own.close();
    const result = await running;
    expect(result.status).toBe('skipped');
    expect(result.message).toMatch(/closed/);
    const all = [...pids(result.stdout), ...pids(other.stdout)];
    expect(all.length).toBe(3);
    expect(await waitGone(all)).toEqual([]);
    expect((await own.run(job('pass'))).status).toBe('skipped');
  });
});
