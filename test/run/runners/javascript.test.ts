import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CodeJob } from '../../../src/run/runners/index.ts';
import { defaultSandbox, runSettings } from '../../../src/run/settings.ts';

// Unsandboxed: these tests tell processes apart by pid, which a sandbox's own PID namespace hides
// (every sandboxed process is pid 2 there). What the sandbox guarantees is tested in test/sandbox.
const settings = runSettings({ sandbox: 'off' });
import type { RunResult } from '../../../src/run/result.ts';
import { endSession, run } from '../../../src/run/runners/javascript/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'notes', 'runner-test.md');

/** Command lines of live processes containing `marker` (Linux /proc). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return found;
}

function job(over: Partial<CodeJob> & { code: string }): CodeJob {
  return { runner: 'js', file, root, firstLine: 10, setup: [], teardown: [], timeoutMs: 10_000, hashSeed: '0', flags: [], settings, sandbox: defaultSandbox(settings), ...over };
}

interface Case {
  name: string;
  job: Partial<CodeJob> & { code: string };
  check(r: RunResult): void;
}

const cases: Case[] = [
  {
    name: 'passes and captures console.log, process.stdout.write and console.error',
    job: { code: 'console.log("a", 1)\nprocess.stdout.write("b\\n")\nconsole.error("oops")\n' },
    check: (r) => {
      expect(r.status).toBe('passed');
      expect(r.stdout).toBe('a 1\nb\n');
      expect(r.stderr).toBe('oops\n');
      expect(r.exception).toBeUndefined();
    },
  },
  {
    name: 'a throw fails with the note line of the raising statement',
    job: { firstLine: 20, code: 'const x = 1\nfunction f() {\n  throw new TypeError(`bad ${x}`)\n}\nf()\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exception?.type).toBe('TypeError');
      expect(r.exception?.qualifiedNames).toEqual(['TypeError', 'Error']);
      expect(r.exception?.message).toBe('bad 1');
      expect(r.exception?.line).toBe(22);
      expect(r.exception?.traceback).toContain(`at f (${file}:22:9)`);
      expect(r.exception?.traceback).toContain(`${file}:24:1`);
      expect(r.exception?.traceback).not.toMatch(/\.mjs|child\.mjs/);
    },
  },
  {
    name: 'a custom error class reports its constructor chain',
    job: { code: 'class NotFound extends RangeError {}\nthrow new NotFound("nope")\n' },
    check: (r) => {
      expect(r.exception?.qualifiedNames).toEqual(['NotFound', 'RangeError', 'Error']);
      expect(r.exception?.line).toBe(11);
    },
  },
  {
    name: 'top-level await works, and the job waits for its timers like `node file.mjs`',
    job: { code: 'await new Promise((r) => setTimeout(r, 20))\nconsole.log("after")\nsetTimeout(() => console.log("later"), 20)\n' },
    check: (r) => {
      expect(r.status).toBe('passed');
      expect(r.stdout).toBe('after\nlater\n');
    },
  },
  {
    name: 'an uncaught async error fails the job',
    job: { code: 'setTimeout(() => { throw new Error("async boom") }, 5)\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exception?.message).toBe('async boom');
      expect(r.exception?.line).toBe(10);
    },
  },
  {
    name: 'imports of built-ins work; import.meta.url is the note',
    job: { code: 'import fs from "node:fs"\nimport { join } from "path"\nconsole.log(typeof fs.readFileSync, join("a", "b"), import.meta.url)\n' },
    check: (r) => expect(r.stdout).toBe(`function a/b file://${file}\n`),
  },
  {
    name: 'a syntax error is reported at its note line without running',
    job: { firstLine: 5, code: 'console.log(1)\nconst = 2\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exception?.type).toBe('SyntaxError');
      expect(r.exception?.line).toBe(6);
      expect(r.stdout).toBe('');
    },
  },
  {
    name: 'the environment is reduced (no secrets) and the cwd is a fresh temp dir',
    job: { code: 'import fs from "node:fs"\nconsole.log(JSON.stringify({ secret: process.env.KB_TEST_SECRET ?? null, cwd: process.cwd(), files: fs.readdirSync(".") }))\n' },
    check: (r) => {
      const seen = JSON.parse(r.stdout) as { secret: string | null; cwd: string; files: string[] };
      expect(seen.secret).toBeNull();
      expect(seen.files).toEqual([]);
      expect(seen.cwd.startsWith(os.tmpdir())).toBe(true);
      expect(seen.cwd).not.toBe(process.cwd());
    },
  },
  {
    name: 'process.exit(n) ends the example with exit status n',
    job: { code: 'console.log("bye")\nprocess.exit(3)\nconsole.log("never")\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toBe('bye\n');
    },
  },
  {
    name: 'output over 1 MiB is cut and reported',
    job: { code: 'for (let i = 0; i < 2000; i++) console.log("x".repeat(1000))\n' },
    check: (r) => {
      expect(r.status).toBe('output-limit');
      expect(r.message).toMatch(/stdout exceeded 1 MiB/);
      expect(Buffer.byteLength(r.stdout)).toBeLessThanOrEqual(1024 * 1024);
    },
  },
];

const tsCases: Case[] = [
  {
    name: 'ts: types are stripped and an error points at its note line',
    job: {
      runner: 'ts',
      firstLine: 40,
      code: 'interface Point { x: number; y: number }\nconst p: Point = { x: 1, y: 2 }\n\nfunction check(q: Point): number {\n  if (q.x > 0) throw new RangeError(`x=${q.x}`)\n  return q.y\n}\nconsole.log(check(p) as number)\n',
    },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exception?.type).toBe('RangeError');
      expect(r.exception?.line).toBe(44);
      expect(r.exception?.traceback).toContain(`at check (${file}:44:`);
      expect(r.exception?.traceback).toContain(`${file}:47:`);
    },
  },
  {
    name: 'ts: enums, generics and type-only imports run',
    job: {
      runner: 'ts',
      code: 'import type { Stats } from "node:fs"\nenum Color { Red, Green }\nfunction id<T>(v: T): T { return v }\nconst s: Stats | undefined = undefined\nconsole.log(id(Color.Green), Color[0], s)\n',
    },
    check: (r) => {
      expect(r.status).toBe('passed');
      expect(r.stdout).toBe('1 Red undefined\n');
    },
  },
];

describe('javascript runner', () => {
  process.env.KB_TEST_SECRET = 'hunter2';

  for (const c of [...cases, ...tsCases]) {
    it(c.name, async () => {
      c.check(await run(job(c.job)));
    });
  }

  it('a timeout kills the worker and the next job still runs', async () => {
    const started = performance.now();
    const hung = await run(job({ code: 'console.log("before")\nwhile (true) {}\n', timeoutMs: 400 }));
    expect(hung.status).toBe('timeout');
    expect(hung.message).toMatch(/timed out after 0\.4 s/);
    expect(performance.now() - started).toBeLessThan(3000);
    const pending = await run(job({ code: 'setInterval(() => {}, 1000)\n', timeoutMs: 300 }));
    expect(pending.status).toBe('timeout');
    expect(pending.message).toMatch(/still pending.*Timeout/);
    const next = await run(job({ code: 'console.log("alive")\n' }));
    expect(next.status).toBe('passed');
    expect(next.stdout).toBe('alive\n');
  });

  it('a subprocess the example left running does not outlive it', async () => {
    const marker = `100.${process.pid}${Date.now() % 1000}`;
    const r = await run(job({ code: `import { spawn } from "node:child_process"\nspawn("sleep", ["${marker}"], { stdio: "ignore" }).unref()\nconsole.log("started")\n` }));
    expect(r.stdout).toBe('started\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
    expect((await run(job({ code: 'console.log("next")\n' }))).stdout).toBe('next\n');
  });

  it('examples do not see each other\'s globals or module scope', async () => {
    const first = await run(job({ code: 'const local = 1\nglobalThis.leaked = 2\nconsole.log = () => {}\nprocess.env.FOO = "x"\n' }));
    expect(first.status).toBe('passed');
    const second = await run(job({ code: 'console.log(typeof local, typeof leaked, process.env.FOO ?? "unset")\n' }));
    expect(second.stdout).toBe('undefined undefined unset\n');
  });

  it.each([
    ['a built-in prototype method replaced', 'Array.prototype.map = function () { return ["polluted"] }', 'console.log([1, 2].map((x) => x * 2).join(","))', '2,4'],
    ['a property added to Object.prototype', 'Object.prototype.polluted = true', 'console.log("polluted" in {})', 'false'],
    ['a property deleted from a prototype', 'delete String.prototype.trim', 'console.log(" x ".trim())', 'x'],
    ['a namespace member replaced', 'Math.random = () => 4\nJSON.stringify = () => "polluted"', 'console.log(Math.random() < 1, JSON.stringify([1]))', 'true [1]'],
    ['a hidden intrinsic changed', 'Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true })', 'console.log([...[1, 2]].length)', '2'],
    ['a prototype swapped', 'Object.setPrototypeOf(Array.prototype, null)', 'console.log(typeof [].hasOwnProperty)', 'function'],
    ['a built-in module monkeypatched', 'import fs from "node:fs"\nimport { EventEmitter } from "node:events"\nfs.existsSync = () => "polluted"\nEventEmitter.prototype.emit = () => "polluted"', 'import fs from "node:fs"\nimport { EventEmitter } from "node:events"\nconsole.log(fs.existsSync("/"), new EventEmitter().emit("x"))', 'true false'],
    ['process functions and argv', 'process.cwd = () => "/polluted"\nprocess.argv.push("--polluted")', 'console.log(process.cwd() !== "/polluted", process.argv.includes("--polluted"))', 'true false'],
  ])('%s does not reach the next example', async (_name, polluter, check, expected) => {
    const first = await run(job({ code: `${polluter}\n` }));
    expect(first.status, first.exception?.traceback).toBe('passed');
    const second = await run(job({ code: `${check}\n` }));
    expect(second.exception?.traceback ?? '').toBe('');
    expect(second.stdout).toBe(`${expected}\n`);
  });

  it('a change that cannot be undone (a frozen prototype) retires the process after the example', async () => {
    const frozen = await run(job({ code: 'Object.freeze(Array.prototype)\nconsole.log(process.pid)\n' }));
    expect(frozen.status).toBe('passed');
    const next = await run(job({ code: '"use strict"\nArray.prototype.extra = 1\nconsole.log(process.pid, Object.isFrozen(Array.prototype))\ndelete Array.prototype.extra\n' }));
    expect(next.exception?.traceback ?? '').toBe('');
    const [pid, isFrozen] = next.stdout.trim().split(' ');
    expect(pid).not.toBe(frozen.stdout.trim());
    expect(isFrozen).toBe('false');
  });

  it('setup and teardown share bindings with the code; their output is not the example\'s', async () => {
    const r = await run(
      job({
        code: 'console.log(db.get("k"), helper())\n',
        setup: [{ code: 'console.log("setting up")\nconst db = new Map([["k", "v"]])\nfunction helper() { return "h" }\n', firstLine: 2 }],
        teardown: [{ code: 'db.clear()\nconsole.log("torn down")\n', firstLine: 20 }],
      }),
    );
    expect(r.status).toBe('passed');
    expect(r.stdout).toBe('v h\n');
  });

  it('a failing setup is not the example\'s exception', async () => {
    const r = await run(job({ code: 'console.log(1)\n', setup: [{ code: 'throw new Error("no db")\n', firstLine: 3 }] }));
    expect(r.status).toBe('crashed');
    expect(r.exception).toBeUndefined();
    expect(r.message).toMatch(/setup at line 3 raised Error: no db/);
  });

  it('session blocks share bindings (also reassigned ones) and imports', async () => {
    const session = 'runner-test.md#s1';
    try {
      const a = await run(job({ session, code: 'import os from "node:os"\nlet count = 0\nfunction inc() { return ++count }\nclass Box { v = 7 }\nconst { p, q: [r] } = { p: 1, q: [2] }\n' }));
      expect(a.status).toBe('passed');
      const b = await run(job({ session, firstLine: 30, code: 'inc(); inc()\nconsole.log(count, new Box().v, p, r, typeof os.platform)\ncount = 10\nconsole.log(inc())\n' }));
      expect(b.stdout).toBe('2 7 1 2 function\n11\n');
      const c = await run(job({ session, runner: 'ts', firstLine: 40, code: 'const n: number = count\nconsole.log(n, typeof os.tmpdir)\nthrow new Error("in session")\n' }));
      expect(c.stdout).toBe('11 function\n');
      expect(c.exception?.line).toBe(42);
    } finally {
      await endSession(session);
    }
    const after = await run(job({ code: 'console.log(typeof count, typeof inc)\n' }));
    expect(after.stdout).toBe('undefined undefined\n');
  });

  it('a session whose worker timed out is reported lost until it ends', async () => {
    const session = 'runner-test.md#s2';
    try {
      await run(job({ session, code: 'let kept = 1\n' }));
      const hung = await run(job({ session, code: 'while (true) {}\n', timeoutMs: 300 }));
      expect(hung.status).toBe('timeout');
      const lost = await run(job({ session, code: 'console.log(kept)\n' }));
      expect(lost.status).toBe('crashed');
      expect(lost.message).toMatch(/session "runner-test.md#s2" is gone/);
    } finally {
      await endSession(session);
    }
  });

  afterAll(() => {
    delete process.env.KB_TEST_SECRET;
  });
});
