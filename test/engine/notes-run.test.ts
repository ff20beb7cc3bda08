/**
 * The notes pipeline end to end: a fixture knowledge base run through vitest
 * (programmatically, as `npm test` would), checking each case's verdict and
 * the messages an author sees.
 */
import { execFileSync } from 'node:child_process';
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

beforeAll(async () => {
  process.env['KB_TEST_SECRET'] = 'do-not-leak';
  run = await runNotes({ root, strict: false });
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
      expect.stringMatching(/^unknown option `tiemout` on a `python` example; known options: .*\[unknown-option\]$/),
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
