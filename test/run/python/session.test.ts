import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { hostPids, job, NOTE } from './fixtures/helpers.ts';

// Unsandboxed: a test reads a marker file the example writes into the host's temp folder.
const pool = new PythonPool({ size: 2, settings: hostPids });
afterAll(() => pool.close());

const TICKER = `import asyncio
ticks = []
async def tick():
    while True:
        ticks.append(len(ticks))
        await asyncio.sleep(0.005)
task = asyncio.create_task(tick())
await asyncio.sleep(0.03)`;

describe('sessions', () => {
  it('keep globals and a background task alive across three jobs, submitted at once', async () => {
    const s = { session: 'ticker' };
    const results = await Promise.all([
      pool.run(job(TICKER, s)),
      pool.run(job('print("other", "ticks" in globals())')), // not in the session
      pool.run(job('seen = len(ticks)\nawait asyncio.sleep(0.03)\nassert len(ticks) > seen, ticks\nassert not task.done()', s)),
      pool.run(job('import os\nopen("state.txt", "w").write("kept")\nos.environ["SESSION_VAR"] = "1"', s)),
      pool.run(job('import os\nprint(len(ticks) >= 2, task.done(), open("state.txt").read(), os.environ.get("SESSION_VAR"))', s)),
      pool.run(job('import os\nprint("neighbour", os.environ.get("SESSION_VAR"))')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'passed']);
    expect(results[1]!.stdout).toBe('other False\n');
    expect(results[4]!.stdout).toBe('True False kept 1\n');
    expect(results[5]!.stdout).toBe('neighbour None\n');
  });

  it('run every block inside the running loop, so a task made without await lives on', async () => {
    const s = { session: 'no-await' };
    const [made, used, doctest] = await Promise.all([
      pool.run(job('import asyncio\nasync def slow_answer():\n    await asyncio.sleep(0.01)\n    return 42\ntask = asyncio.create_task(slow_answer())', s)),
      pool.run(job('print(task.done())\nprint(await task)', s)),
      pool.run(job('>>> asyncio.get_running_loop() is task.get_loop()\nTrue\n', { ...s, kind: 'doctest' })),
    ]);
    expect(made.status, made.exception?.traceback).toBe('passed');
    expect(used).toMatchObject({ status: 'passed', stdout: 'False\n42\n' });
    expect(doctest.status).toBe('passed');
    await pool.endSession('no-await');
  });

  it('endSession cancels the tasks and a later job with that id starts afresh', async () => {
    const s = { session: 'ending' };
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'kb-session-test-')), 'cancelled');
    const started = pool.run(job(`${TICKER}\nasync def watch():\n    try:\n        await asyncio.sleep(100)\n    except asyncio.CancelledError:\n        open(${JSON.stringify(marker)}, "w").close()\n        raise\nwatcher = asyncio.create_task(watch())\nawait asyncio.sleep(0)`, s));
    await pool.endSession('ending');
    expect((await started).status).toBe('passed');
    expect(existsSync(marker)).toBe(true);
    rmSync(path.dirname(marker), { recursive: true });
    const fresh = await pool.run(job('print("ticks" in globals())', s));
    expect(fresh.stdout).toBe('False\n');
    await pool.endSession('ending');
    await pool.endSession('never-used');
  });

  it('fails the later jobs of a session whose worker died, until endSession', async () => {
    const s = { session: 'doomed' };
    const [first, killer, after] = await Promise.all([
      pool.run(job('x = 1', s)),
      pool.run(job('while True: pass', { ...s, timeoutMs: 500 })),
      pool.run(job('print(x)', s)),
    ]);
    expect(first.status).toBe('passed');
    expect(killer.status).toBe('timeout');
    expect(after.status).toBe('crashed');
    expect(after.message).toBe(`not run: session "doomed" lost its interpreter, globals and event loop: its worker was killed after an example timed out (the block at ${NOTE}:1). This block needs the state of the blocks before it; fix the block that ended the session`);
    expect((await pool.run(job('print(x)', s))).status).toBe('crashed');
    await pool.endSession('doomed');
    const fresh = await pool.run(job('print("x" in globals())', s));
    expect(fresh).toMatchObject({ status: 'passed', stdout: 'False\n' });
  });

  it('moves a session that had not started yet when its worker died, instead of losing it', async () => {
    const single = new PythonPool({ size: 1 });
    try {
      const s = { session: 'late' };
      const [crash, a, b] = await Promise.all([
        single.run(job('import os\nos._exit(1)')),
        single.run(job('x = 1', s)),
        single.run(job('print(x)', s)),
      ]);
      expect(crash.status).toBe('crashed');
      expect([a.status, b.status, b.stdout]).toEqual(['passed', 'passed', '1\n']);
    } finally {
      await single.close();
    }
  });

  it('lets a session job be a doctest sharing the globals', async () => {
    const s = { session: 'mixed' };
    const [a, b] = await Promise.all([
      pool.run(job('value = 41', s)),
      pool.run(job('>>> value + 1\n42\n', { ...s, kind: 'doctest' })),
    ]);
    expect([a.status, b.status]).toEqual(['passed', 'passed']);
    await pool.endSession('mixed');
  });
});
