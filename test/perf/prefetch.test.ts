/**
 * Prefetch (pool-server.ts): a test worker names the notes it runs next, and the pool server starts
 * their plain examples in the background. What must hold: a prefetched result is only ever given
 * to a request for exactly the same job and sandbox; what is prefetched runs behind the jobs
 * someone waits for; sessions, throwaway processes and conditional examples are never started
 * ahead; a hint is never an error; and with a name or line filter nothing is started ahead.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVitest, type TestCase } from 'vitest/node';
import { startPoolServer, type PoolServer, type PrefetchRequest } from '../../src/run/runners/python/pool-server.ts';
import { PoolClient } from '../../src/run/runners/python/pool-client.ts';
import { PythonPool } from '../../src/run/runners/python/pool.ts';
import { hostPids, job } from '../run/python/fixtures/helpers.ts';
import { upcomingFiles } from '../../src/vitest/upcoming.ts';
import { NoteRun } from '../../src/run/run-note.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { planConfigured } from '../../src/plan/configured.ts';
import { kbNotes } from '../../src/vitest/plugin.ts';
import { notesTestOptions } from '../../src/vitest/notes-project.ts';
import { plainExampleSandbox } from '../../src/vitest/pool-setup.ts';
import { poolRequest } from '../../src/run/runners/python/index.ts';
import type { PythonResult } from '../../src/run/runners/python/types.ts';
import type { WorkerSandbox } from '../../src/run/runners/python/interpreter.ts';

const SANDBOX: WorkerSandbox = { network: false, limits: hostPids.limits, readable: [] };

describe('the pool: jobs started ahead', () => {
  const pool = new PythonPool({ settings: hostPids, size: 1 });
  afterAll(() => pool.close());

  it('never starts a session job or a throwaway process ahead; a plain one waits for the interpreter if need be', async () => {
    const fresh = new PythonPool({ settings: hostPids, size: 1 });
    try {
      expect(fresh.prefetch(job('print(1)', { session: '/n.md#s' }), SANDBOX)).toBeUndefined();
      expect(fresh.prefetch(job('print(1)', { isolate: 'process' }), SANDBOX)).toBeUndefined();
      const started = fresh.prefetch(job('print(6 * 7)'), SANDBOX);
      expect((await started!.result).stdout).toBe('42\n');
    } finally {
      await fresh.close();
    }
  });

  it('warm: starts a worker and its spare before any job; the first job with that sandbox starts no other', async () => {
    const fresh = new PythonPool({ settings: hostPids, size: 1 });
    try {
      fresh.warm(SANDBOX);
      for (let i = 0; i < 500 && fresh.started < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fresh.started).toBe(2);
      expect((await fresh.run(job('print(1)'), SANDBOX)).stdout).toBe('1\n');
      expect(fresh.started).toBe(2);
      // Another sandbox is another worker: warming is only worth it for the one most examples use.
      await fresh.run(job('print(2)'), { ...SANDBOX, network: true });
      expect(fresh.started).toBeGreaterThan(2);
    } finally {
      await fresh.close();
    }
  });

  it('runs a background job only after the jobs someone waits for', async () => {
    await pool.run(job('pass'), SANDBOX);
    const order: string[] = [];
    const note = (name: string) => (r: PythonResult) => order.push(`${name}:${r.stdout.trim()}`);
    const waited = [1, 2, 3].map((n) => pool.run(job(`import time; time.sleep(0.05); print(${n})`), SANDBOX).then(note(`fg${n}`)));
    const ahead = pool.prefetch(job('print("bg")'), SANDBOX)!;
    await Promise.all([...waited, ahead.result.then(note('bg'))]);
    expect(order).toEqual(['fg1:1', 'fg2:2', 'fg3:3', 'bg:bg']);
  });

  it('drops a cancelled job that has not started: it never runs', async () => {
    const marker = path.join(mkdtempSync(path.join(os.tmpdir(), 'kb-prefetch-')), 'ran');
    await pool.run(job('pass'), SANDBOX);
    // One worker, busy for a moment: the background job waits behind it (pipelines take background jobs only when idle).
    const busy = Array.from({ length: 10 }, () => pool.run(job('import time; time.sleep(0.02)'), SANDBOX));
    const ahead = pool.prefetch(job(`open(${JSON.stringify(marker)}, 'w').write('x')`), SANDBOX)!;
    ahead.cancel();
    const result = await ahead.result;
    await Promise.all(busy);
    await pool.run(job('pass'), SANDBOX);
    expect(result).toMatchObject({ status: 'skipped', message: 'prefetch cancelled' });
    expect((await import('node:fs')).existsSync(marker)).toBe(false);
  });
});

describe('the pool server: hints', () => {
  let server: PoolServer;
  let plan: PrefetchRequest[] = [];
  let asked: string[][] = [];
  beforeAll(async () => {
    server = await startPoolServer({
      settings: hostPids,
      size: 1,
      prefetchJobs: (files) => {
        asked.push(files);
        if (files.includes('/boom.md')) throw new Error('cannot compile');
        return plan.filter((r) => files.includes(r.job.filename));
      },
    });
  });
  afterAll(() => server.close());
  afterEach(() => {
    plan = [];
    asked = [];
  });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('answers a request for exactly a prefetched job with its result, and nothing else', async () => {
    const c = new PoolClient(server.address, () => {
      throw new Error('no fallback');
    });
    await c.run(job('pass', { filename: '/warm.md' }), SANDBOX); // the pool starts nothing ahead before its interpreter is known
    const base = { ...server.prefetch };
    plan = [
      { job: job('import os; print(os.getpid(), 1)', { filename: '/a.md' }), sandbox: SANDBOX },
      { job: job('print(2)', { filename: '/a.md' }), sandbox: SANDBOX },
    ];
    c.hint(['/a.md']);
    await settle();
    expect(server.prefetch.started - base.started).toBe(2);
    const same = await c.run(plan[0]!.job, SANDBOX);
    expect(same.stdout).toMatch(/^\d+ 1\n$/);
    expect(server.prefetch.taken - base.taken).toBe(1);
    // One character different (an edited note), or another sandbox: run afresh, never the prefetched result.
    const edited = await c.run(job('print(2) ', { filename: '/a.md' }), SANDBOX);
    const otherSandbox = await c.run(plan[1]!.job, { ...SANDBOX, network: true });
    expect([edited.stdout, otherSandbox.stdout]).toEqual(['2\n', '2\n']);
    expect(server.prefetch.taken - base.taken).toBe(1);
    // Taken once: the same job asked again runs again.
    const again = await c.run(plan[0]!.job, SANDBOX);
    expect(again.stdout).toMatch(/^\d+ 1\n$/);
    expect(server.prefetch.taken - base.taken).toBe(1);
    c.close();
  });

  it('reads each note once per connection, and a hint it cannot follow is no error', async () => {
    const c = new PoolClient(server.address, () => {
      throw new Error('no fallback');
    });
    await c.run(job('pass', { filename: '/warm.md' }), SANDBOX);
    c.hint(['/b.md', '/c.md']);
    c.hint(['/c.md', '/d.md']);
    c.hint(['/boom.md']);
    await settle();
    expect(asked).toEqual([['/b.md', '/c.md'], ['/d.md'], ['/boom.md']]);
    // The connection still works after the failed hint.
    expect((await c.run(job('print(3)'), SANDBOX)).stdout).toBe('3\n');
    c.close();
  });
});

describe('which jobs a note lets the pool start ahead', () => {
  const text = [
    '# Note',
    '',
    '```python',
    'print("plain")',
    '```',
    '',
    '```python session=s',
    'x = 1',
    '```',
    '',
    '```python requires=python>=3.8',
    'print("conditional")',
    '```',
    '',
    '```python isolate=process',
    'print("own process")',
    '```',
    '',
    '```python skip',
    'print("skipped")',
    '```',
    '',
    '```pycon',
    '>>> print("prompt")',
    'prompt',
    '```',
    '',
  ].join('\n');

  it('only the plain examples, built exactly as the note builds them when it runs', () => {
    const file = path.resolve('notes/prefetch-fixture.md');
    const note = noteFromText(file, text, { root: process.cwd() });
    const plan = planConfigured(note, process.cwd(), undefined, file);
    const jobs = new NoteRun(plan, file, process.cwd(), hostPids).prefetchableJobs();
    expect(jobs.map((j) => j.code.trim())).toEqual(['print("plain")', '>>> print("prompt")\nprompt']);
  });

  it("the interpreter the global setup starts at once is the one a plain example's sandbox asks for", () => {
    const file = path.resolve('notes/prefetch-fixture.md');
    const plan = planConfigured(noteFromText(file, '```python\nprint(1)\n```\n', { root: process.cwd() }), process.cwd(), undefined, file);
    const [first] = new NoteRun(plan, file, process.cwd(), hostPids).prefetchableJobs();
    expect(JSON.stringify(poolRequest(first!).sandbox)).toBe(JSON.stringify(plainExampleSandbox(hostPids, process.cwd())));
  });
});

describe('upcomingFiles', () => {
  const state = globalThis as { __vitest_worker__?: unknown };
  let saved: unknown;
  beforeAll(() => {
    saved = state.__vitest_worker__;
  });
  afterEach(() => {
    state.__vitest_worker__ = saved;
  });
  const withState = (files: unknown, config: object = {}) => {
    state.__vitest_worker__ = { ctx: { files }, config };
  };

  it.each([
    ['the next two files of this worker', [{ filepath: '/a.md' }, { filepath: '/b.md' }, { filepath: '/c.md' }, { filepath: '/d.md' }], {}, '/a.md', ['/b.md', '/c.md']],
    ['none after the last', [{ filepath: '/a.md' }, { filepath: '/b.md' }], {}, '/b.md', []],
    ['none for a file not in the list', [{ filepath: '/a.md' }], {}, '/x.md', []],
    ['none with a name filter', [{ filepath: '/a.md' }, { filepath: '/b.md' }], { testNamePattern: /x/ }, '/a.md', []],
    ['none with a line filter', [{ filepath: '/a.md' }, { filepath: '/b.md', testLocations: [3] }], {}, '/a.md', []],
    ['none for a shape it does not know', [{ path: '/a.md' }, { path: '/b.md' }], {}, '/a.md', []],
    ['none without a list', undefined, {}, '/a.md', []],
  ])('%s', (_name, files, config, file, expected) => {
    withState(files, config);
    expect(upcomingFiles(file)).toEqual(expected);
  });
});

describe('a vitest run', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kb-prefetch-run-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Two notes whose one example sleeps: each prints when it started and ended. */
  function writeNotes() {
    mkdirSync(path.join(root, 'notes'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, kb: { sandbox: 'off' } }));
    for (const name of ['first', 'second']) {
      writeFileSync(
        path.join(root, 'notes', `${name}.md`),
        `# ${name}\n\n\`\`\`python\nimport time\nstart = time.time()\ntime.sleep(1)\nprint(start, time.time())\n\`\`\`\n\n\`\`\`output regex\n[\\d.]+ [\\d.]+\n\`\`\`\n`,
      );
    }
  }

  async function run(extra: Record<string, unknown> = {}): Promise<{ spans: number[][]; states: string[] }> {
    const spans: number[][] = [];
    const states: string[] = [];
    const reporter = {
      onTestCaseResult(testCase: TestCase) {
        states.push(testCase.result().state);
        const kb = (testCase.meta() as Record<string, unknown>)['kb'] as { actualOutput?: string } | undefined;
        if (kb?.actualOutput) spans.push(kb.actualOutput.trim().split(' ').map(Number));
      },
    };
    // One test worker, so without prefetch the second note's example cannot start before the first's has ended.
    const vitest = await createVitest('test', { root, config: false, watch: false, cache: false, reporters: [reporter], ...notesTestOptions(), maxWorkers: 1, ...extra }, { plugins: [kbNotes({ root, cache: false })] });
    try {
      await vitest.start();
    } finally {
      await vitest.close();
    }
    return { spans, states };
  }

  const overlapped = (spans: number[][]) => Math.max(...spans.map((s) => s[0]!)) < Math.min(...spans.map((s) => s[1]!));

  it.skipIf(os.availableParallelism() < 2)("starts the next note's example while the current one runs, and both pass", async () => {
    writeNotes();
    const { spans, states } = await run();
    expect(states.every((s) => s === 'passed')).toBe(true);
    expect(spans).toHaveLength(2);
    expect(overlapped(spans)).toBe(true);
  }, 60_000);

  it('starts nothing ahead with a name filter: each example runs in its own turn', async () => {
    writeNotes();
    const { spans, states } = await run({ testNamePattern: 'example at line' });
    expect(states.filter((s) => s === 'passed')).toHaveLength(2);
    expect(spans).toHaveLength(2);
    expect(overlapped(spans)).toBe(false);
  }, 60_000);
});
