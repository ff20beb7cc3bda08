/**
 * Watch mode compiles a saved note (and the notes that depend on a changed file) during vitest's
 * own pause before the rerun, into the persistent cache, so the rerun's fresh test worker does not
 * wait for the transform. What it prepares must never outlive a change: the rerun always answers
 * for the files as they are when it runs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createVitest, type TestModule } from 'vitest/node';
import { kbNotes } from '../../src/vitest/plugin.ts';
import kb from '../../src/vitest/index.ts';
import { notesTestOptions } from '../../src/vitest/notes-project.ts';
import type { NoteCache } from '../../src/cache/note-cache.ts';

const fence = '```';
let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kb-watch-prepare-'));
  mkdirSync(path.join(root, 'notes'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ private: true, kb: { sandbox: 'off' } }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const note = (expected: string) => ['# Main', '', 'See [the other note](other.md#the-heading).', '', `${fence}python`, 'print(1)', fence, '', `${fence}output`, expected, fence, ''].join('\n');

/**
 * A watch-mode vitest on `root`: `next()` resolves with the next run's verdict per note. With
 * `injected`, set up as the README says (the `kb()` plugin, which injects a `notes` project with a
 * vite server of its own, one without a file watcher); otherwise the notes plugin is vitest's own.
 */
async function watching({ injected = false, configFile = false } = {}) {
  const plugin = injected ? kb() : kbNotes({ root });
  const stats = () => ({ ...(plugin.api as { cacheStats(): NoteCache<unknown>['stats'] | undefined }).cacheStats()! });
  if (configFile) {
    // The README's set-up (without `defineConfig`, which a folder outside this repository cannot
    // import): the config file lists itself and the notes project (src/vitest/index.ts).
    const source = pathToFileURL(path.resolve(import.meta.dirname, '../../src/vitest/index.ts')).href;
    writeFileSync(path.join(root, 'vitest.config.mjs'), `import kb from ${JSON.stringify(source)};\n\nexport default { plugins: [kb()] };\n`);
  }
  let finished: ((verdicts: Record<string, string>) => void) | undefined;
  const reporter = {
    onTestRunEnd(modules: ReadonlyArray<TestModule>) {
      finished?.(Object.fromEntries(modules.map((m) => [path.relative(root, m.moduleId), m.state()])));
    },
  };
  const vitest = configFile
    ? await createVitest('test', { root, watch: true, cache: false, reporters: [reporter], project: 'notes' })
    : await createVitest('test', { root, config: false, watch: true, cache: false, reporters: [reporter], ...(injected ? {} : notesTestOptions()) }, { plugins: [plugin] });
  const next = () => new Promise<Record<string, string>>((resolve) => (finished = resolve));
  const first = next();
  await vitest.start();
  return { vitest, stats, first: await first, next };
}

const layouts = [
  { layout: 'the notes plugin as vitest\'s own', injected: false, configFile: false },
  { layout: 'kb() injecting the notes project', injected: true, configFile: false },
  { layout: 'kb() in a config file, as the README says', injected: false, configFile: true },
];

it('a saved note is compiled before its rerun asks for it, and the rerun runs the new text', async () => {
  writeFileSync(path.join(root, 'notes/main.md'), note('1'));
  writeFileSync(path.join(root, 'notes/other.md'), '# Other\n\n## The heading\n');
  const { vitest, stats, first, next } = await watching();
  try {
    expect(first).toEqual({ 'notes/main.md': 'passed', 'notes/other.md': 'passed' });
    const before = stats();
    const rerun = next();
    writeFileSync(path.join(root, 'notes/main.md'), note('2'));
    expect(await rerun).toEqual({ 'notes/main.md': 'failed' });
    // Compiled once (a miss, then written) while vitest waited, then read from the cache by the rerun.
    expect(stats()).toEqual({ hits: before.hits + 1, misses: before.misses + 1, writes: before.writes + 1 });
  } finally {
    await vitest.close();
  }
}, 60_000);

it.each(layouts)('a link target changed after the saved note was prepared: the rerun sees the broken link ($layout)', async ({ injected, configFile }) => {
  writeFileSync(path.join(root, 'notes/main.md'), note('1'));
  writeFileSync(path.join(root, 'notes/other.md'), '# Other\n\n## The heading\n');
  const { vitest, first, next } = await watching({ injected, configFile });
  try {
    expect(first).toEqual({ 'notes/main.md': 'passed', 'notes/other.md': 'passed' });
    const rerun = next();
    writeFileSync(path.join(root, 'notes/main.md'), `${note('1')}\nA new last line.\n`);
    // Inside vitest's pause, after the saved note was prepared against the old heading.
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(path.join(root, 'notes/other.md'), '# Other\n\n## A renamed heading\n');
    const verdicts = await rerun;
    expect(verdicts['notes/main.md']).toBe('failed');
  } finally {
    await vitest.close();
  }
}, 60_000);


it.each(layouts)('a link target or an included file changed alone: the note depending on it reruns and fails ($layout)', async ({ injected, configFile }) => {
  writeFileSync(path.join(root, 'notes/main.md'), note('1'));
  writeFileSync(path.join(root, 'notes/other.md'), '# Other\n\n## The heading\n');
  writeFileSync(path.join(root, 'notes/lib.py'), 'X = 1\n');
  writeFileSync(path.join(root, 'notes/uses-lib.md'), ['# Uses lib', '', '<!-- include lib.py -->', `${fence}python`, 'X = 1', fence, ''].join('\n'));
  const { vitest, first, next } = await watching({ injected, configFile });
  try {
    expect(first).toEqual({ 'notes/main.md': 'passed', 'notes/other.md': 'passed', 'notes/uses-lib.md': 'passed' });
    let rerun = next();
    writeFileSync(path.join(root, 'notes/other.md'), '# Other\n\n## A renamed heading\n');
    expect(await rerun).toEqual({ 'notes/main.md': 'failed', 'notes/other.md': 'passed' });
    // An included file (the block must show it as it is): the note's compiled module is made again.
    rerun = next();
    writeFileSync(path.join(root, 'notes/lib.py'), 'X = 2\n');
    expect(await rerun).toEqual({ 'notes/uses-lib.md': 'failed' });
  } finally {
    await vitest.close();
  }
}, 60_000);
