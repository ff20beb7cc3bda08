/** Hidden setup and teardown are Python: they never reach an example another runner runs. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';

const root = path.resolve('/tmp/kb-setup-runner');
const fence = '```';
const note = [
  '# Mixed',
  '',
  '<!-- setup',
  'import os',
  '-->',
  '',
  '<!-- teardown',
  'print("bye")',
  '-->',
  '',
  ...['python', 'pycon', 'sh', 'console', 'js', 'ts'].flatMap((lang) => [`${fence}${lang}`, lang === 'pycon' ? '>>> 1' : lang === 'console' ? '$ true' : 'true', fence, '']),
].join('\n');

describe('hidden setup scoping by runner', () => {
  it('applies a setup and a teardown to python and pycon examples only', () => {
    const plan = extractPlan(noteFromText(path.join(root, 'mixed.md'), note, { root }), { root });
    const examples = plan.items.filter((item): item is ExamplePlan => item.kind === 'example');
    expect(Object.fromEntries(examples.map((e) => [e.lang, [e.setup.length, e.teardown.length]]))).toEqual({
      python: [1, 1],
      pycon: [1, 1],
      sh: [0, 0],
      console: [0, 0],
      js: [0, 0],
      ts: [0, 0],
    });
  });
});
