/**
 * A session (blocks sharing names on purpose) keeps its own state and is never ended by another
 * note's example; a pycon block of a session writes its names back to the session.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job } from '../../run/python/fixtures/helpers.ts';
import { runNote } from './helpers.ts';

const pool = new PythonPool({ size: 1 });
afterAll(() => pool.close());

const other = (code: string) => job(code, { filename: '/kb/notes/other.md', timeoutMs: 1000 });

describe('sessions in a pool of one worker', () => {
  it.each([
    ['leaves a thread running', 'import threading, time\nthreading.Thread(target=time.sleep, args=(100,)).start()', 'leaked'],
    ['times out', 'while True: pass', 'timeout'],
    ['kills its worker', 'import os\nos._exit(3)', 'crashed'],
    ['imports ctypes', 'import ctypes', 'passed'],
  ])('survive an example of another note that %s', async (_name, code, status) => {
    const s = { session: `/kb/notes/a.md#${status}` };
    const first = await pool.run(job('kept = [1]\nimport decimal\ndecimal.getcontext().prec = 4', s));
    expect(first.status).toBe('passed');
    const culprit = await pool.run(other(code));
    expect(culprit.status).toBe(status);
    const later = await pool.run(job('kept.append(2)\nprint(kept, decimal.Decimal(1) / 3)', s));
    expect(later).toMatchObject({ status: 'passed', stdout: '[1, 2] 0.3333\n' });
    await pool.endSession(s.session);
  });

  it('do not let another note see their state, nor see its state', async () => {
    const s = { session: '/kb/notes/a.md#private' };
    const [mine, theirs, again] = await Promise.all([
      pool.run(job('import builtins\nbuiltins.kb_session_value = 1\nsecret = 2', s)),
      pool.run(other('import builtins\nprint(hasattr(builtins, "kb_session_value"), "secret" in globals())\nbuiltins.kb_other_value = 3')),
      pool.run(job('import builtins\nprint(builtins.kb_session_value, secret, hasattr(builtins, "kb_other_value"))', s)),
    ]);
    expect(mine.status).toBe('passed');
    expect(theirs.stdout).toBe('False False\n');
    expect(again.stdout).toBe('1 2 False\n');
    await pool.endSession(s.session);
  });

  it('name the block that ended them when their own block kills the worker', async () => {
    const s = { session: '/kb/notes/a.md#doomed' };
    const [, killer, after] = await Promise.all([
      pool.run(job('x = 1', s)),
      pool.run(job('while True: pass', { ...s, timeoutMs: 300, firstLine: 12 })),
      pool.run(job('print(x)', s)),
    ]);
    expect(killer.status).toBe('timeout');
    expect(after.status).toBe('crashed');
    expect(after.message).toMatch(/^not run: session "\/kb\/notes\/a\.md#doomed" lost its interpreter.*timed out \(the block at .*python-engine-test\.md:12\)/);
    expect(after.message).not.toMatch(/endSession/);
    await pool.endSession(s.session);
  });

  it('get the names a pycon block defines (doctest copies the globals otherwise)', async () => {
    const s = { session: '/kb/notes/a.md#pycon' };
    const [pycon, python, doctest] = await Promise.all([
      pool.run(job('>>> y = 5\n>>> def double(n):\n...     return 2 * n\n', { ...s, kind: 'doctest' })),
      pool.run(job('print(double(y))', s)),
      pool.run(job('>>> double(y) + 1\n11\n', { ...s, kind: 'doctest' })),
    ]);
    expect(pycon.status).toBe('passed');
    expect(python).toMatchObject({ status: 'passed', stdout: '10\n' });
    expect(doctest.status).toBe('passed');
    await pool.endSession(s.session);
  });
});

describe('a pycon block in a note session', () => {
  it('defines names the next block of the session uses', async () => {
    const verdicts = await runNote('notes/pycon-session.md');
    expect([...verdicts.values()].map((v) => [v.status, v.message])).toEqual([['passed', undefined], ['passed', undefined]]);
  });
});
