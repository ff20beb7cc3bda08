/**
 * Note and folder settings reach the run: a fixture knowledge base run through
 * vitest as `npm test` would. `kb.setup.py` files run before the Python
 * examples below them; `kb:` front matter skips, marks and loosens matching.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectedCase, CollectedRun } from '../../src/report/collect.ts';
import { runNotes } from '../../src/report/run.ts';

const root = path.resolve('test/settings/fixtures/kb');
let run: CollectedRun;

function cases(note: string): CollectedCase[] {
  const module = run.modules.find((m) => m.file.endsWith(`/notes/${note}`));
  if (!module) throw new Error(`no results for ${note}; errors: ${run.errors.join('\n')}`);
  return module.cases.filter((c) => c.meta?.kind === 'example');
}

beforeAll(async () => {
  run = await runNotes({ root, strict: false });
}, 120_000);

describe('settings reach the run', () => {
  it('folder setup files run outermost first; the note\'s python options apply (ellipsis)', () => {
    expect(cases('guide/deeper/setup.md').map((c) => [c.state, c.errors])).toEqual([['passed', []]]);
  });

  it('run: marked runs the block marked test and lists the other as not run', () => {
    const [marked, illustration] = cases('marked.md');
    expect(marked!.state).toBe('passed');
    expect(illustration!.state).toBe('skipped');
  });

  it('kb.skip skips every example of the note', () => {
    expect(cases('skipped.md').map((c) => c.state)).toEqual(['skipped']);
  });
});
