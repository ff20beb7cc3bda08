import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job } from './fixtures/helpers.ts';

const pool = new PythonPool();
afterAll(() => pool.close());

const doctest = (code: string, extra = {}) => job(code, { kind: 'doctest', firstLine: 20, ...extra });

describe('doctest jobs', () => {
  it('pass when every prompt prints what it shows', async () => {
    const result = await pool.run(doctest('>>> x = 2\n>>> x * 21\n42\n>>> for i in range(2):\n...     print(i)\n0\n1\n'));
    expect(result).toMatchObject({ status: 'passed' });
    expect(result.doctestFailures).toBeUndefined();
  });

  it('report every failing prompt at its note line with expected and actual output', async () => {
    const code = ['>>> 1 + 1', '2', '>>> print("abc")', 'abd', '>>> "fine"', "'fine'", '>>> [1,', '...  2]', '[1, 3]', ''].join('\n');
    const result = await pool.run(doctest(code));
    expect(result.status).toBe('failed');
    expect(result.doctestFailures).toEqual([
      { line: 22, source: 'print("abc")\n', expected: 'abd\n', got: 'abc\n' },
      { line: 26, source: '[1,\n 2]\n', expected: '[1, 3]\n', got: '[1, 2]\n' },
    ]);
  });

  it('report an unexpected exception with its type and the traceback', async () => {
    const result = await pool.run(doctest('>>> ok = True\n>>> {}["missing"]\n1\n'));
    expect(result.doctestFailures).toHaveLength(1);
    const failure = result.doctestFailures![0]!;
    expect(failure).toMatchObject({ line: 21, exception: "KeyError: 'missing'", expected: '1\n' });
    expect(failure.got).toMatch(/^Traceback \(most recent call last\):[\s\S]*KeyError: 'missing'\n$/);
  });

  it('accept an expected exception', async () => {
    const result = await pool.run(doctest('>>> int("x")\nTraceback (most recent call last):\n  ...\nValueError: invalid literal for int() with base 10: \'x\'\n'));
    expect(result.status).toBe('passed');
  });

  it.each([
    ['an inline +ELLIPSIS directive', '>>> list(range(20))  # doctest: +ELLIPSIS\n[0, 1, ..., 19]\n', {}, 'passed'],
    ['ELLIPSIS from doctestOptionFlags', '>>> list(range(20))\n[0, 1, ..., 19]\n', { doctestOptionFlags: ['ELLIPSIS'] }, 'passed'],
    ['no ELLIPSIS at all', '>>> list(range(20))\n[0, 1, ..., 19]\n', {}, 'failed'],
    ['NORMALIZE_WHITESPACE', '>>> print("a  b")\na b\n', { doctestOptionFlags: ['NORMALIZE_WHITESPACE'] }, 'passed'],
    ['a -ELLIPSIS directive overriding the default flags', '>>> list(range(20))  # doctest: -ELLIPSIS\n[0, 1, ..., 19]\n', { doctestOptionFlags: ['ELLIPSIS'] }, 'failed'],
  ])('honour %s', async (_name, code, extra, status) => {
    expect((await pool.run(doctest(code, extra))).status).toBe(status);
  });

  it('reject an unknown option flag clearly', async () => {
    const result = await pool.run(doctest('>>> 1\n1\n', { doctestOptionFlags: ['ELIPSIS'] }));
    expect(result.status).toBe('failed');
    expect(result.exception?.message).toBe("unknown doctest option flag 'ELIPSIS'");
  });

  it('run setup in the same namespace first', async () => {
    const result = await pool.run(doctest('>>> greeting\n\'hi\'\n', { setup: [{ code: 'greeting = "hi"', firstLine: 3 }] }));
    expect(result.status).toBe('passed');
  });

  it('capture output written around doctest, at the fd level, as stdout', async () => {
    const result = await pool.run(doctest('>>> import os\n>>> _ = os.write(1, b"raw")\n>>> print("shown")\nshown\n'));
    expect(result).toMatchObject({ status: 'passed', stdout: 'raw' });
  });
});
