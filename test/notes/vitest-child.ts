/**
 * Runs vitest with this repository's plugin on a knowledge base, in a child
 * process (vitest cannot run inside the vitest running the tests), and prints
 * one JSON line:
 *   list ROOT           the test files vitest collects (root-relative)
 *   watch ROOT FILE...  first run, then touch each FILE in turn (`-FILE`: delete it); which notes
 *                       reran after each, a failed one marked ` (failed)`
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createVitest } from 'vitest/node';
import { notesTestOptions } from '../../src/vitest/notes-project.ts';
import { kbNotes } from '../../src/vitest/plugin.ts';

const [mode, rootArg, ...touch] = process.argv.slice(2);
const root = path.resolve(rootArg!);
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

let finished: ((files: string[]) => void) | undefined;
const reporter = {
  onTestRunEnd(modules: ReadonlyArray<{ moduleId: string; state(): string }>) {
    finished?.(modules.map((m) => rel(m.moduleId) + (m.state() === 'failed' ? ' (failed)' : '')).sort());
  },
};
const vitest = await createVitest(
  'test',
  { root, config: false, watch: mode === 'watch', cache: false, reporters: [reporter], ...notesTestOptions() },
  { plugins: [kbNotes({ root })] },
);
try {
  if (mode === 'list') {
    const specs = await vitest.globTestSpecifications();
    console.log(JSON.stringify(specs.map((s) => rel(s.moduleId)).sort()));
  } else {
    const first = new Promise<string[]>((resolve) => (finished = resolve));
    await vitest.start();
    await first;
    const reruns: Record<string, string[]> = {};
    for (const file of touch) {
      const target = path.join(root, file.replace(/^-/, ''));
      const done = new Promise<string[]>((resolve) => (finished = resolve));
      const timeout = new Promise<string[]>((resolve) => setTimeout(() => resolve([]), 20_000));
      if (file.startsWith('-')) rmSync(target);
      else writeFileSync(target, readFileSync(target, 'utf8') + '\n');
      reruns[file] = await Promise.race([done, timeout]);
      await new Promise((r) => setTimeout(r, 300));
    }
    console.log(JSON.stringify(reruns));
  }
} finally {
  await vitest.close();
}
