import { afterAll, describe, expect, it } from 'vitest';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import type { PythonResult } from '../../../src/run/runners/python/types.ts';
import { NOTE, job } from './fixtures/helpers.ts';

const pool = new PythonPool();
afterAll(() => pool.close());

describe('running examples', () => {
  it.each<[string, string, Partial<PythonResult>]>([
    ['a passing block', 'x = 6 * 7\nprint(x)', { status: 'passed', stdout: '42\n', stderr: '' }],
    ['print to stderr', 'import sys\nprint("oops", file=sys.stderr)', { status: 'passed', stdout: '', stderr: 'oops\n' }],
    ['os.write on fd 1 and 2', 'import os\nos.write(1, b"x")\nos.write(2, b"y")', { stdout: 'x', stderr: 'y' }],
    ['a child process writing to both', 'import subprocess, sys\nsubprocess.run([sys.executable, "-c", "import sys; print(\'child out\'); print(\'child err\', file=sys.stderr)"])', { stdout: 'child out\n', stderr: 'child err\n' }],
    ['print and a child in order', 'import subprocess\nprint("a")\nsubprocess.run(["echo", "b"])\nprint("c")', { stdout: 'a\nb\nc\n' }],
    ['top-level await', 'import asyncio\nawait asyncio.sleep(0.01)\nprint("awaited")', { status: 'passed', stdout: 'awaited\n' }],
    ['async for / async with at top level', 'import asyncio, contextlib\nasync def agen():\n    yield 1\n    yield 2\n@contextlib.asynccontextmanager\nasync def cm():\n    yield "in"\nasync with cm() as v:\n    print(v)\nprint([x async for x in agen()])', { stdout: 'in\n[1, 2]\n' }],
    ['asyncio.run in a plain block', 'import asyncio\nasync def main():\n    return 5\nprint(asyncio.run(main()))', { status: 'passed', stdout: '5\n' }],
    ['sys.stdin at EOF', 'import sys\nprint(repr(sys.stdin.read()))', { status: 'passed', stdout: "''\n" }],
    ['sys.exit(0) ends the block successfully', 'import sys\nprint("before")\nsys.exit(0)\nprint("after")', { status: 'passed', stdout: 'before\n', exitCode: 0 }],
    ['non-ASCII output', 'print("héllo ✓")', { stdout: 'héllo ✓\n' }],
  ])('%s', async (_name, code, expected) => {
    expect(await pool.run(job(code))).toMatchObject(expected);
  });

  it('reports an exception with its MRO, note line numbers and no worker frames', async () => {
    const result = await pool.run(job('def f():\n    raise KeyError("nope")\n\nf()', { firstLine: 10 }));
    expect(result.status).toBe('failed');
    const e = result.exception!;
    expect(e).toMatchObject({ type: 'KeyError', message: "'nope'", line: 11, phase: 'example' });
    expect(e.qualifiedNames).toEqual(expect.arrayContaining(['KeyError', 'builtins.KeyError', 'LookupError', 'Exception', 'BaseException']));
    expect(e.traceback).toContain(`File "${NOTE}", line 13, in <module>`);
    expect(e.traceback).toContain(`File "${NOTE}", line 11, in f`);
    // The note is not on disk: the quoted source comes from the code the worker was given.
    expect(e.traceback).toContain('    raise KeyError("nope")');
    expect(e.traceback).not.toContain('worker.py');
    expect(e.traceback.trimEnd().split('\n').at(-1)).toBe("KeyError: 'nope'");
  });

  it('names exceptions of the example and of library modules by module', async () => {
    const mine = await pool.run(job('class MyError(ValueError):\n    pass\nraise MyError("x")'));
    expect(mine.exception?.type).toBe('MyError');
    expect(mine.exception?.qualifiedNames).toEqual(expect.arrayContaining(['__main__.MyError', 'MyError', 'ValueError']));
    const lib = await pool.run(job('import json\njson.loads("{")'));
    expect(lib.exception?.type).toBe('json.decoder.JSONDecodeError');
    expect(lib.exception?.qualifiedNames).toEqual(expect.arrayContaining(['JSONDecodeError', 'ValueError']));
    expect(lib.exception?.line).toBe(2);
  });

  it('reports an exception raised after top-level await at its note line', async () => {
    const result = await pool.run(job('import asyncio\nawait asyncio.sleep(0)\nraise RuntimeError("late")', { firstLine: 40 }));
    expect(result.exception).toMatchObject({ type: 'RuntimeError', line: 42 });
    expect(result.exception?.traceback).not.toMatch(/asyncio[/\\]base_events|worker\.py/);
  });

  it('reports a SyntaxError at its note line', async () => {
    const result = await pool.run(job('x = 1\ny = (', { firstLine: 5 }));
    expect(result.exception).toMatchObject({ type: 'SyntaxError', line: 6 });
    expect(result.exception?.traceback).toContain(`File "${NOTE}", line 6`);
  });

  it('outside a session, plain code has no running loop, as in a script', async () => {
    const result = await pool.run(job('import asyncio\nasync def f():\n    pass\nasyncio.create_task(f())'));
    expect(result.exception).toMatchObject({ type: 'RuntimeError', message: 'no running event loop' });
  });

  it('treats sys.exit(2) and input() at EOF as failures with their exception', async () => {
    const exit = await pool.run(job('import sys\nsys.exit(2)'));
    expect(exit.exception).toMatchObject({ type: 'SystemExit', message: '2', line: 2 });
    expect(exit.exitCode).toBe(2);
    expect((await pool.run(job('import sys\nsys.exit("bye")'))).exitCode).toBe(1);
    const input = await pool.run(job('input()'));
    expect(input.exception?.type).toBe('EOFError');
  });

  it('runs setup before and teardown after, in one namespace, with their own note lines', async () => {
    const ok = await pool.run(job('print(value)\nvalue += 1', {
      setup: [{ code: 'value = 1', firstLine: 3 }],
      teardown: [{ code: 'import sys\nprint("teardown", value, file=sys.stderr)', firstLine: 30 }],
    }));
    expect(ok).toMatchObject({ status: 'passed', stdout: '1\n', stderr: 'teardown 2\n' });

    const failing = await pool.run(job('raise ValueError("example")', { teardown: [{ code: 'import sys\nprint("teardown ran", file=sys.stderr)', firstLine: 30 }] }));
    expect(failing).toMatchObject({ status: 'failed', stdout: '', stderr: 'teardown ran\n' });
    expect(failing.exception?.phase).toBe('example');

    const badSetup = await pool.run(job('print("example ran")', { setup: [{ code: 'x = 1\n1 / 0', firstLine: 7 }] }));
    expect(badSetup.stdout).toBe('');
    expect(badSetup.exception).toMatchObject({ type: 'ZeroDivisionError', phase: 'setup', line: 8 });

    const badTeardown = await pool.run(job('pass', { teardown: [{ code: 'assert False, "cleanup failed"', firstLine: 50 }] }));
    expect(badTeardown.status).toBe('failed');
    expect(badTeardown.exception).toMatchObject({ type: 'AssertionError', phase: 'teardown', line: 50, message: 'cleanup failed' });
  });

  it('keeps the output of pipelined jobs apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => pool.run(job(`import os, sys\nprint("out ${i}")\nos.write(2, b"err ${i}")\nsys.stdout.write("${i}" * ${i % 7})`))),
    );
    results.forEach((r, i) => {
      expect(r.stdout).toBe(`out ${i}\n${String(i).repeat(i % 7)}`);
      expect(r.stderr).toBe(`err ${i}`);
    });
  });

  it('uses PYTHONHASHSEED=0 by default and a separate worker per hash seed', async () => {
    const code = 'import os, sys\nprint(os.environ["PYTHONHASHSEED"], sys.flags.hash_randomization, hash("kb"))';
    const [a, b, c] = await Promise.all([pool.run(job(code)), pool.run(job(code)), pool.run(job(code, { hashSeed: '123' }))]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split(' ')[0]).toBe('0');
    expect(c.stdout.split(' ')[0]).toBe('123');
    expect(c.stdout.split(' ')[2]).not.toBe(a.stdout.split(' ')[2]);
  });
});
