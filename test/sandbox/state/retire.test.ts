/**
 * What the worker cannot put back retires it after the example (whose result stands), and a spare
 * takes over; a C library's native threads retire it quietly instead of failing the example.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool, resolvePython } from '../../../src/run/runners/python/pool.ts';
import { hostPids, job, pids } from '../../run/python/fixtures/helpers.ts';

// Unsandboxed: workers are told apart by pid, which a sandbox's PID namespace makes the same (2) for all.
const pool = new PythonPool({ size: 1, settings: hostPids });
afterAll(() => pool.close());

const WHO = 'import os\nprint(f"pid={os.getpid()}")\n';

/** A thread made with pthread_create that sleeps: a C library's thread, as far as Python knows. */
const NATIVE_THREAD = `import ctypes, ctypes.util
libc = ctypes.CDLL(None)
libpthread = ctypes.CDLL(ctypes.util.find_library("pthread") or None)
sleep = ctypes.cast(libc.sleep, ctypes.c_void_p)
thread = ctypes.c_ulong()
assert libpthread.pthread_create(ctypes.byref(thread), None, sleep, ctypes.c_void_p(100)) == 0
print("native thread started")`;

async function hasNumpy(): Promise<boolean> {
  const python = await resolvePython();
  try {
    execFileSync(python.executable, ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('retiring a worker that cannot be put back', () => {
  it.each([
    ['ctypes', 'import ctypes\nctypes.c_int(1)', 'it imported ctypes'],
    ['a lowered hard resource limit', 'import resource\nsoft, hard = resource.getrlimit(resource.RLIMIT_CORE)\nresource.setrlimit(resource.RLIMIT_CORE, (0, 0))', 'hard limit RLIMIT_CORE'],
    ['an audit hook', 'import sys\nsys.addaudithook(lambda event, args: None)', 'audit hook'],
  ])('%s: the example passes, the next one runs in a fresh worker', async (_name, code, reason) => {
    const [polluter, next] = await Promise.all([pool.run(job(WHO + code)), pool.run(job(WHO + 'import sys, resource\nprint("ctypes" in sys.modules, resource.getrlimit(resource.RLIMIT_CORE)[1] != 0)'))]);
    expect(polluter.status, polluter.exception?.traceback ?? polluter.message).toBe('passed');
    expect(polluter.retire).toContain(reason);
    expect(next.status).toBe('passed');
    expect(pids(next.stdout)[0]).not.toBe(pids(polluter.stdout)[0]);
    expect(next.stdout).toMatch(/False True\n$/);
  });

  it('a native thread (pthread_create) is not the example\'s leak: it passes and the worker is replaced', async () => {
    const [native, next] = await Promise.all([pool.run(job(WHO + NATIVE_THREAD)), pool.run(job(WHO + 'print("next")'))]);
    expect(native.status, native.message).toBe('passed');
    expect(native.stdout).toContain('native thread started');
    expect(native.retire).toMatch(/native thread/);
    expect(next.status).toBe('passed');
    expect(pids(next.stdout)[0]).not.toBe(pids(native.stdout)[0]);
  });

  it('a Python thread left running still fails its example', async () => {
    const leak = await pool.run(job('import threading, time\nthreading.Thread(target=time.sleep, args=(100,), name="mine").start()'));
    expect(leak.status).toBe('leaked');
    expect(leak.message).toMatch(/1 thread running \(mine\)/);
  });

  it('import numpy passes (OpenBLAS starts its thread pool), where numpy is installed', async (context) => {
    if (!(await hasNumpy())) return context.skip('numpy is not installed for the Python the examples run under');
    const [numpy, next] = await Promise.all([
      pool.run(job(WHO + 'import numpy\nprint(numpy.arange(3).sum())', { timeoutMs: 60_000 })),
      pool.run(job('import sys\nprint("numpy" in sys.modules)')),
    ]);
    expect(numpy.status, numpy.message).toBe('passed');
    expect(numpy.stdout).toMatch(/\n3\n$/);
    expect(next).toMatchObject({ status: 'passed', stdout: 'False\n' });
  });

  it('a spare worker started in advance takes over, so a retired worker costs no cold start', async () => {
    await pool.run(job('print("warm")'));
    // Times in clock ticks since boot (/proc/uptime and a process's start time in /proc/PID/stat).
    const ticks = 'import os\nhz = os.sysconf("SC_CLK_TCK")\ndef started(pid):\n    with open(f"/proc/{pid}/stat") as f:\n        return int(f.read().rsplit(")", 1)[1].split()[19])\n';
    const [retiring, next] = await Promise.all([
      pool.run(job(`${ticks}import ctypes, time\ntime.sleep(0.1)\nwith open("/proc/uptime") as f:\n    print(int(float(f.read().split()[0]) * hz))`)),
      pool.run(job(`${ticks}print(started(os.getpid()))`)),
    ]);
    expect(retiring.retire).toBeTruthy();
    // The next example's worker was already running while the retiring example ran.
    expect(Number(next.stdout)).toBeLessThan(Number(retiring.stdout));
  });
});
