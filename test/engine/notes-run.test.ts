/**
 * The notes pipeline end to end: a fixture knowledge base run through vitest
 * (programmatically, as `npm test` would), checking each case's verdict and
 * the messages an author sees.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectedCase, CollectedRun } from '../../src/report/collect.ts';
import { runNotes } from '../../src/report/run.ts';

const root = path.resolve('test/engine/fixtures/kb');
let run: CollectedRun;

function cases(note: string): Map<string, CollectedCase> {
  const module = run.modules.find((m) => m.file.endsWith(`/notes/${note}`));
  if (!module) throw new Error(`no results for ${note}; modules: ${run.modules.map((m) => m.file).join(', ')}; errors: ${run.errors.join('\n')}`);
  return new Map(module.cases.map((c) => [c.name.split(' › ').pop()!, c]));
}

const escapeLink = path.join(root, 'notes', 'escape-link.py');

beforeAll(async () => {
  process.env['KB_TEST_SECRET'] = 'do-not-leak';
  // A symlink that points out of the knowledge base: an include must refuse it.
  rmSync(escapeLink, { force: true });
  symlinkSync(path.resolve('package.json'), escapeLink);
  try {
    run = await runNotes({ root, strict: false });
  } finally {
    rmSync(escapeLink, { force: true });
  }
}, 120_000);

describe('examples: verdicts and what a failure shows', () => {
  it.each([
    ['example at line 5', 'passed'],
    ['wrong-output', 'failed'],
    ['example at line 27', 'failed'],
    ['example at line 36', 'passed'],
    ['raises-wrong-type', 'failed'],
    ['raises-nothing', 'failed'],
    ['example at line 50', 'passed'],
    ['example at line 62', 'passed'],
    ['unordered-missing-line', 'failed'],
  ])('%s %s', (name, state) => {
    expect(cases('outputs.md').get(name)?.state).toBe(state);
  });

  it('a wrong output block fails at the output block with a unified diff', () => {
    const c = cases('outputs.md').get('wrong-output')!;
    expect(c.line).toBe(15);
    expect(c.errors[0]).toContain('output differs from the `output` block at line 20');
    expect(c.errors[0]).toMatch(/--- expected output\n\+\+\+ actual output\n@@ .* @@\n hello\n-World\n\+world/);
  });

  it('a wrong pycon prompt is reported at its own line', () => {
    expect(cases('outputs.md').get('example at line 27')!.errors[0]).toMatch(/line 30: print\("x"\)[\s\S]*-y\n\+x/);
  });

  it('an unexpected exception type is shown with its traceback at note lines', () => {
    const message = cases('outputs.md').get('raises-wrong-type')!.errors[0]!;
    expect(message).toContain('expected ValueError (or a subclass), but the block raised KeyError');
    expect(message).toMatch(/outputs\.md", line 41/);
  });
});

describe('runaway examples fail only their own cases', () => {
  it.each([
    ['infinite-loop', /timed out after 1 s/],
    ['flood', /stdout exceeded 1 MiB/],
    ['leftover-child', /child process|left/i],
    ['exit-3', /exit|3/],
    ['segfault', /crash|signal|SIGSEGV|segmentation/i],
  ])('%s fails with a clear message', (name, message) => {
    const c = cases('runaway.md').get(name)!;
    expect(c.state).toBe('failed');
    expect(c.errors[0]).toMatch(message);
  });

  it.each(['after-loop', 'reads-stdin', 'last-one'])('%s still runs and passes', (name) => {
    expect(cases('runaway.md').get(name)?.state).toBe('passed');
  });

  it('leaves no process behind', () => {
    const leftovers = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('sleep 1234'));
    expect(leftovers).toEqual([]);
  });
});

describe('isolation between examples', () => {
  it('files, globals, environment changes and secrets do not cross examples', () => {
    const c = cases('isolation.md');
    expect(c.get('writes')?.state).toBe('passed');
    expect(c.get('sees-nothing')?.errors).toEqual([]);
    expect(c.get('sees-nothing')?.state).toBe('passed');
  });
});

describe('bad input gets positioned errors, and the rest of the note still runs', () => {
  it('reports each problem at its file:line:column with a rule id', () => {
    const problems = [...cases('problems.md').values()].filter((c) => c.name.startsWith('problem at line')).map((c) => c.errors[0]);
    expect(problems).toEqual([
      expect.stringMatching(/^unknown option `tiemout` on a `python` example; did you mean `timeout`\?.*\[unknown-option\]$/),
      expect.stringMatching(/^unknown language `pyhton`; did you mean `python`\?.*\[unknown-language\]$/),
      expect.stringMatching(/^this `output` block follows no example.*\[orphan-output\]$/),
      expect.stringMatching(/^this fence is never closed.*\[unterminated-fence\]$/),
    ]);
    const lines = [...cases('problems.md').values()].filter((c) => c.name.startsWith('problem at line')).map((c) => c.line);
    expect(lines).toEqual([3, 7, 13, 25]);
  });

  it('an unknown language is listed as not run (skipped), never passed', () => {
    const rust = cases('problems.md').get('example at line 17')!;
    expect(rust.state).toBe('skipped');
    expect(rust.skipNote).toMatch(/not run: no runner for `rust`/);
  });

  it('valid examples of a note with problems still run', () => {
    expect(cases('problems.md').get('fine')?.state).toBe('passed');
  });
});

describe('authoring: hidden setup, sessions, includes', () => {
  it('a fragment runs exactly as shown with hidden setup', () => {
    expect(cases('authoring.md').get('fragment')?.state).toBe('passed');
  });

  it('a session keeps globals and one running event loop across blocks', () => {
    const c = cases('authoring.md');
    expect(['good-1', 'good-2', 'good-3'].map((n) => c.get(n)?.state)).toEqual(['passed', 'passed', 'passed']);
  });

  it('after a failing block, later blocks of the session name the culprit', () => {
    const c = cases('authoring.md');
    expect(c.get('bad-1')?.state).toBe('passed');
    expect(c.get('bad-2')?.errors[0]).toContain('RuntimeError: block 2 is wrong');
    expect(c.get('bad-3')?.errors[0]).toBe('skipped because block at line 61 of session `bad` failed');
  });

  it('a block must equal its included file, range or region', () => {
    const c = cases('authoring.md');
    expect(c.get('include-current')?.state).toBe('passed');
    expect(c.get('include-drifted')?.state).toBe('failed');
    expect(c.get('include-drifted')?.errors[0]).toMatch(/differs from `lib\/greet\.py` lines 1-1[\s\S]*-def greet\(\):\n\+def greet_someone\(\):/);
  });

  it('an include through a symlink that leaves the repository is refused', () => {
    const failing = [...cases('authoring.md').values()].find((c) => c.line === 83);
    expect(failing?.errors[0]).toMatch(/resolves \(through a symlink\) outside the repository.*\[include-outside-repository\]/);
  });

  it('examples run with PYTHONHASHSEED=0 by default', () => {
    expect(cases('authoring.md').get('hash-seed')?.state).toBe('passed');
  });
});

describe('interpreter discovery', () => {
  it('KB_PYTHON=/nonexistent is one clear error naming KB_PYTHON, not one failure per example', () => {
    const r = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--project', 'notes', '--root', root, '--config', path.resolve('vitest.config.ts')], {
      encoding: 'utf8',
      env: { ...process.env, KB_PYTHON: '/nonexistent', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(output.match(/Python not found: KB_PYTHON=\/nonexistent is not an executable/g)).toHaveLength(1);
    expect(output).not.toMatch(/ at .*global-setup/);
  });
});
