import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeJob } from '../../../src/run/runners/index.ts';
import { defaultSandbox, runSettings } from '../../../src/run/settings.ts';

const settings = runSettings();
import type { RunResult } from '../../../src/run/result.ts';
import { endSession, run } from '../../../src/run/runners/shell/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const file = path.join(root, 'notes', 'shell-test.md');

function job(over: Partial<CodeJob> & { code: string }): CodeJob {
  return { runner: 'sh', file, root, firstLine: 10, setup: [], teardown: [], timeoutMs: 10_000, hashSeed: '0', flags: [], settings, sandbox: defaultSandbox(settings), ...over };
}

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

/** Processes (zombies included) whose executable name is `name` (Linux /proc). */
function processesNamed(name: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.includes(`(${name})`)) found.push(stat.slice(0, 60));
    } catch {
      // gone
    }
  }
  return found;
}

interface Case {
  name: string;
  job: Partial<CodeJob> & { code: string };
  check(r: RunResult): void;
}

const shCases: Case[] = [
  {
    name: 'passes and captures stdout and stderr separately',
    job: { code: 'echo out\necho err >&2\nprintf "%s\\n" "$LINENO"\n' },
    check: (r) => {
      expect(r.status).toBe('passed');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('out\n12\n'); // $LINENO is the note line
      expect(r.stderr).toBe('err\n');
    },
  },
  {
    name: 'a non-zero exit fails with its exit status',
    job: { code: 'echo partial\nexit 3\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toBe('partial\n');
    },
  },
  {
    name: 'set -u: an unbound variable fails, the message names the note line',
    job: { firstLine: 20, code: 'echo start\necho "$NOT_SET_ANYWHERE"\necho never\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).toBe('start\n');
      expect(r.stderr).toContain('notes/shell-test.md: line 21: NOT_SET_ANYWHERE: unbound variable');
    },
  },
  {
    name: 'set -e with pipefail: a failing command inside a pipeline fails the block',
    job: { code: 'false | cat\necho never\n' },
    check: (r) => {
      expect(r.status).toBe('failed');
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
    },
  },
  {
    name: 'stdin is empty',
    job: { code: 'if read -r line; then echo "got $line"; else echo eof; fi\n' },
    check: (r) => expect(r.stdout).toBe('eof\n'),
  },
  {
    name: 'output over 1 MiB is cut and reported',
    job: { code: 'yes | head -c 3000000\n' },
    check: (r) => {
      expect(r.status).toBe('output-limit');
      expect(r.message).toMatch(/stdout exceeded 1 MiB/);
      expect(Buffer.byteLength(r.stdout)).toBe(1024 * 1024);
    },
  },
];

describe('shell runner: sh', () => {
  for (const c of shCases) {
    it(c.name, async () => {
      c.check(await run(job(c.job)));
    });
  }

  it('the environment is an allow-list: no secret from the parent', async () => {
    process.env.KB_TEST_SECRET = 'hunter2';
    try {
      const r = await run(job({ code: 'env | cut -d= -f1 | sort | tr "\\n" " "\necho; echo "secret=${KB_TEST_SECRET:-none}"\n', settings: runSettings() }));
      expect(r.status).toBe('passed');
      expect(r.stdout).not.toContain('hunter2');
      expect(r.stdout).toContain('secret=none');
      const names = (r.stdout.split('\n')[0] ?? '').trim().split(' ');
      const allowed = new Set(['HOME', 'LANG', 'LC_ALL', 'PATH', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'PWD', 'SHLVL', '_', 'OLDPWD', 'PYTHONHASHSEED', 'PYTHONIOENCODING', 'PYTHONDONTWRITEBYTECODE', 'PYTHONNOUSERSITE']);
      expect(names.filter((n) => !allowed.has(n))).toEqual([]);
    } finally {
      delete process.env.KB_TEST_SECRET;
    }
  });

  it('each example gets a fresh, empty temp working directory, removed afterwards', async () => {
    const code = 'pwd\nls -A | wc -l\ntouch made-here\n';
    const a = await run(job({ code }));
    const b = await run(job({ code }));
    const [dirA, countA] = a.stdout.trim().split('\n').map((s) => s.trim());
    const [dirB, countB] = b.stdout.trim().split('\n').map((s) => s.trim());
    // The second does not see the first's file: in a sandbox each has its own /tmp (same path,
    // fresh tmpfs); without one, its own host folder, removed afterwards.
    expect([countA, countB]).toEqual(['0', '0']);
    if (dirA !== '/tmp/work') {
      expect(dirA?.startsWith(os.tmpdir())).toBe(true);
      expect(dirA).not.toBe(dirB);
      expect(existsSync(dirA as string)).toBe(false);
    }
  });

  it('a timeout kills the whole process group, background children included', async () => {
    const marker = `100.${process.pid}${Date.now() % 1000}`;
    const started = performance.now();
    const r = await run(job({ code: `sleep ${marker} &\nsleep ${marker}\n`, timeoutMs: 400 }));
    expect(r.status).toBe('timeout');
    expect(r.message).toMatch(/timed out after 0\.4 s/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
    // A background process left by a block that ends normally does not survive it either.
    const left = await run(job({ code: `sleep ${marker} &\necho done\n` }));
    expect(left.status).toBe('passed');
    expect(processesWith(`sleep ${marker}`)).toEqual([]);
    const next = await run(job({ code: 'echo next\n' }));
    expect(next.stdout).toBe('next\n');
  });

  it('nothing of a block is left in the process table when its result arrives, even hundreds of dying processes', async () => {
    // Each process runs an executable named after the marker, so even a zombie (whose command
    // line is already empty) is found by its name. Many at once: killing them takes the kernel
    // a while, longer under load, and the result must wait for it, not give up after N passes.
    const marker = `kz${randomBytes(5).toString('hex')}`;
    const spawnMany = `ln -s "$(command -v sleep)" ./${marker}\nfor i in $(seq 150); do ./${marker} 100 >/dev/null 2>&1 & done\n`;
    const ended = await run(job({ code: `${spawnMany}echo done\n` }));
    expect(ended.status).toBe('passed');
    expect(processesNamed(marker)).toEqual([]);
    const timedOut = await run(job({ code: `${spawnMany}sleep 100\n`, timeoutMs: 1_500 }));
    expect(timedOut.status).toBe('timeout');
    expect(processesNamed(marker)).toEqual([]);
  });

  it('setup runs first (output hidden), teardown runs after from the code\'s state', async () => {
    const r = await run(
      job({
        code: 'echo "code sees $FROM_SETUP"\ngreet\nLEFT=by-code\n',
        setup: [{ code: 'echo hidden\nFROM_SETUP=yes\ngreet() { echo hello; }\n', firstLine: 3 }],
        teardown: [{ code: '[ "$LEFT" = by-code ] || exit 7\n', firstLine: 20 }],
      }),
    );
    expect(r.status).toBe('passed');
    expect(r.stdout).toBe('code sees yes\nhello\n');
  });

  it('a failing setup is reported as such', async () => {
    const r = await run(job({ code: 'echo code\n', setup: [{ code: 'echo why >&2\nfalse\n', firstLine: 3 }] }));
    expect(r.status).toBe('crashed');
    expect(r.message).toMatch(/setup failed with exit status 1/);
    expect(r.message).toContain('why');
    expect(r.stdout).toBe('');
  });

  it('session blocks share variables, functions and the working directory', async () => {
    const session = 'shell-test.md#s';
    try {
      const a = await run(job({ session, code: 'COUNT=1\nexport SHARED=yes\nbump() { COUNT=$((COUNT + 1)); }\nmkdir sub && cd sub\ntrap "echo own-trap" EXIT\n' }));
      expect(a.stdout).toBe('own-trap\n');
      const b = await run(job({ session, code: 'bump\necho "$COUNT $SHARED $(basename "$PWD")"\nenv | grep -c ^SHARED=\n' }));
      expect(b.stdout).toBe('2 yes sub\n1\n');
      const c = await run(job({ session, runner: 'console', code: '$ echo $COUNT\n2\n' }));
      expect(c.status).toBe('passed');
    } finally {
      await endSession(session);
    }
  });
});

describe('shell runner: console', () => {
  const consoleJob = (code: string, over: Partial<CodeJob> = {}) => job({ runner: 'console', firstLine: 50, code, ...over });

  const cases: { name: string; code: string; flags?: string[]; failures: { line: number; got?: string }[] }[] = [
    {
      name: 'a matching transcript passes; cd and variables persist between commands',
      code: '$ echo hello\nhello\n$ X=5; mkdir d && cd d\n$ echo "$X $(basename "$PWD")"\n5 d\n$ cat <<EOF\n> two\n> lines\n> EOF\ntwo\nlines\n$ echo trailing   \ntrailing\n',
      failures: [],
    },
    {
      name: 'a mismatch is reported at its own prompt line',
      code: '$ echo one\none\n$ echo two\nthree\n$ echo four\nfour\n',
      failures: [{ line: 52, got: 'two' }],
    },
    {
      name: '[N] asserts an exit status; a non-zero status without it fails',
      code: '$ false\n[1]\n$ (exit 3)\n$ echo $?\n3\n',
      failures: [{ line: 52, got: '[3]' }],
    },
    {
      name: 'a wrong [N] fails',
      code: '$ false\n[2]\n',
      failures: [{ line: 50, got: '[1]' }],
    },
    {
      name: '(re) lines are regular expressions for the whole line',
      code: '$ echo "id-12345"\nid-\\d+ (re)\n$ echo "abc"\nb (re)\n',
      failures: [{ line: 52, got: 'abc' }],
    },
    {
      name: '... matches anything with the ellipsis flag',
      code: '$ printf "start\\nmiddle 1\\nmiddle 2\\nend\\n"\nstart\n...\nend\n$ echo "a long line"\na ... line\n',
      flags: ['ellipsis'],
      failures: [],
    },
    {
      name: 'without the ellipsis flag ... is literal',
      code: '$ echo "a long line"\na ... line\n',
      failures: [{ line: 50 }],
    },
    {
      name: 'stderr is part of the output, like a terminal; errors read like an interactive shell',
      code: '$ echo to-err >&2\nto-err\n$ no-such-command-xyz\nbash: no-such-command-xyz: command not found\n[127]\n',
      failures: [],
    },
    {
      name: 'commands after an exit are reported as not run',
      code: '$ echo hi; exit 4\nhi\n[4]\n$ echo never\nnever\n',
      failures: [{ line: 53, got: '' }],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const r = await run(consoleJob(c.code, { flags: c.flags ?? [] }));
      expect(r.status).toBe(c.failures.length === 0 ? 'passed' : 'failed');
      const failures = r.doctestFailures ?? [];
      expect(failures.map((f) => f.line)).toEqual(c.failures.map((f) => f.line));
      c.failures.forEach((want, i) => {
        if (want.got !== undefined) expect(failures[i]?.got).toBe(want.got);
      });
    });
  }

  it('a mismatch carries the prompt source and the expected text', async () => {
    const r = await run(consoleJob('$ echo a \\\n>   b\nc\n'));
    expect(r.doctestFailures).toEqual([{ line: 50, source: '$ echo a \\\n>   b', expected: 'c', got: 'a b' }]);
  });

  it('a hanging command times out, naming the command', async () => {
    const r = await run(consoleJob('$ echo first\nfirst\n$ sleep 30\n', { timeoutMs: 300 }));
    expect(r.status).toBe('timeout');
    expect(r.message).toMatch(/timed out after 0\.3 s in the command at line 52 \(\$ sleep 30\)/);
  });

  it('setup commands run first with their output hidden; a failing setup is reported', async () => {
    const ok = await run(consoleJob('$ cat made-by-setup\nready\n', { setup: [{ code: '$ echo ready > made-by-setup\n$ echo noise\nnoise\n', firstLine: 45 }] }));
    expect(ok.status).toBe('passed');
    expect(ok.stdout).toBe('ready\n');
    const bad = await run(consoleJob('$ echo hi\nhi\n', { setup: [{ code: '$ false\n', firstLine: 45 }] }));
    expect(bad.status).toBe('crashed');
    expect(bad.message).toMatch(/setup failed/);
  });

  it('a block without a prompt is an error', async () => {
    const r = await run(consoleJob('just text\n'));
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/no `\$ ` prompt/);
  });
});
