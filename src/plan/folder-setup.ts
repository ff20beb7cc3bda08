/**
 * Folder-level setup, like pytest's `conftest.py`: a setup file in a folder
 * runs before every example of its language in the notes of that folder and
 * its subfolders, outermost folder first, before the note's own
 * `<!-- setup -->`. One file per language, never prepended to another one:
 *
 *   kb.setup.py    Python examples, pycon transcripts and hidden checks
 *   kb.setup.mjs   JavaScript and TypeScript examples
 *   kb.setup.ts    TypeScript examples (after the folder's kb.setup.mjs)
 *   kb.setup.sh    shell and console examples (bash; its output is hidden)
 *
 * The setup runs as part of the example, in the same sandbox and process, and
 * shows in the report as the example's hidden setup, naming the file. Only
 * folders from the repository root down to the note are looked at.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CodePart, RunnerName } from './types.ts';

/** The setup files a runner's examples get, in the order they run within one folder. */
export const FOLDER_SETUP_FILES: Readonly<Record<RunnerName, readonly string[]>> = {
  python: ['kb.setup.py'],
  pycon: ['kb.setup.py'],
  js: ['kb.setup.mjs'],
  ts: ['kb.setup.mjs', 'kb.setup.ts'],
  sh: ['kb.setup.sh'],
  console: ['kb.setup.sh'],
};

/** The file claims' hidden checks get: they are Python. */
export const CHECK_SETUP_FILE = 'kb.setup.py';

const ALL_FILES = [...new Set(Object.values(FOLDER_SETUP_FILES).flat())];

/** A note's folder setup: for each setup file name, its parts from the outermost folder in. */
export type FolderSetup = ReadonlyMap<string, CodePart[]>;

/** The setup files that apply to the note at `notePath` (absolute), by name, outermost first. */
export function folderSetup(notePath: string, root: string): FolderSetup {
  const found = new Map<string, CodePart[]>();
  const relDir = path.relative(root, path.dirname(notePath));
  if (relDir.startsWith('..') || path.isAbsolute(relDir)) return found;
  const folders = [root];
  for (const segment of relDir === '' ? [] : relDir.split(path.sep)) folders.push(path.join(folders[folders.length - 1]!, segment));
  for (const folder of folders) {
    for (const name of ALL_FILES) {
      const file = path.join(folder, name);
      let code: string;
      try {
        if (!statSync(file).isFile()) continue;
        code = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      const part = { code: code.replace(/\n$/, ''), firstLine: 1, file: path.relative(root, file).split(path.sep).join('/') };
      found.set(name, [...(found.get(name) ?? []), part]);
    }
  }
  return found;
}

/** The folder setup one runner's examples get: outermost folder first, and within a folder in `FOLDER_SETUP_FILES` order. */
export function folderSetupFor(setup: FolderSetup, names: readonly string[]): CodePart[] {
  if (setup.size === 0) return [];
  const parts = names.flatMap((name) => setup.get(name) ?? []);
  const depth = (part: CodePart) => part.file!.split('/').length;
  // Stable: equal depths keep the order of `names`.
  return parts.sort((a, b) => depth(a) - depth(b));
}
