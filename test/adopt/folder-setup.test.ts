/**
 * Folder setup files in every language: `kb.setup.py`, `kb.setup.mjs`,
 * `kb.setup.ts`, `kb.setup.sh`, each before its own language's examples only,
 * outermost folder first, run with the example (same sandbox), named in the plan.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';
import { NoteRun } from '../../src/run/run-note.ts';

const root = path.resolve('test/fixtures/adopt');
const file = path.join(root, 'setup-folders/inner/note.md');
const plan = extractPlan(noteFromText(file, readFileSync(file, 'utf8'), { root }), { root });
const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example');

describe('folder setup per language', () => {
  it('each runner gets its own files, outermost first, never another language\'s', () => {
    expect(Object.fromEntries(examples.map((e) => [e.runner, e.setup.map((p) => p.file)]))).toEqual({
      python: ['setup-folders/kb.setup.py', 'setup-folders/inner/kb.setup.py'],
      js: ['setup-folders/kb.setup.mjs', 'setup-folders/inner/kb.setup.mjs'],
      ts: ['setup-folders/kb.setup.mjs', 'setup-folders/inner/kb.setup.mjs', 'setup-folders/inner/kb.setup.ts'],
      sh: ['setup-folders/kb.setup.sh', 'setup-folders/inner/kb.setup.sh'],
      console: ['setup-folders/kb.setup.sh', 'setup-folders/inner/kb.setup.sh'],
    });
  });

  it('runs before each example, which sees what it defines; its output is not the example\'s', async () => {
    const run = new NoteRun(plan, file, root);
    const verdicts = [];
    for (const e of examples) verdicts.push(await run.exampleVerdict(e.id));
    expect(verdicts.map((v) => [v.status, v.message ?? ''])).toEqual(examples.map(() => ['passed', '']));
  });
});

describe('a failing setup file', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'kb-folder-setup-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each([
    ['kb.setup.sh', '```sh\necho never\n```\n', /setup failed with exit status 3/],
    ['kb.setup.mjs', '```js\nconsole.log(1)\n```\n', /setup in kb-setup-mjs\/kb.setup.mjs raised Error: from setup/],
    ['kb.setup.py', '```python\nprint(1)\n```\n', /ValueError: from setup/],
  ])('%s fails the example as a crash that says so', async (name, fence, message) => {
    const dir = path.join(tmp, name.replace(/\W/g, '-'));
    mkdirSync(dir);
    writeFileSync(path.join(dir, name), { 'kb.setup.sh': 'exit 3\n', 'kb.setup.mjs': "throw new Error('from setup');\n", 'kb.setup.py': "raise ValueError('from setup')\n" }[name]!);
    const note = path.join(dir, 'n.md');
    writeFileSync(note, `# N\n\n${fence}`);
    const p = extractPlan(noteFromText(note, readFileSync(note, 'utf8'), { root: tmp }), { root: tmp });
    const [example] = p.items.filter((i): i is ExamplePlan => i.kind === 'example');
    expect(example!.setup.map((s) => s.file)).toEqual([`${path.basename(dir)}/${name}`]);
    const verdict = await new NoteRun(p, note, tmp).exampleVerdict(example!.id);
    expect(verdict.status).not.toBe('passed');
    expect(verdict.message).toMatch(message);
  });
});
