/**
 * Folder-level setup, like pytest's `conftest.py`: a `kb.setup.py` in a folder
 * runs before every Python example (and hidden check) of the notes in that
 * folder and its subfolders, outermost folder first, before the note's own
 * `<!-- setup -->`. It shows in the report as the example's hidden setup.
 * Only folders from the repository root down to the note are looked at.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CodePart } from './types.ts';

export const FOLDER_SETUP_FILE = 'kb.setup.py';

/** The setup files that apply to the note at `notePath` (absolute), outermost first. */
export function folderSetup(notePath: string, root: string): CodePart[] {
  const relDir = path.relative(root, path.dirname(notePath));
  if (relDir.startsWith('..') || path.isAbsolute(relDir)) return [];
  const folders = [root];
  for (const segment of relDir === '' ? [] : relDir.split(path.sep)) folders.push(path.join(folders[folders.length - 1]!, segment));
  const parts: CodePart[] = [];
  for (const folder of folders) {
    const file = path.join(folder, FOLDER_SETUP_FILE);
    let code: string;
    try {
      if (!statSync(file).isFile()) continue;
      code = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    parts.push({ code: code.replace(/\n$/, ''), firstLine: 1, file: path.relative(root, file).split(path.sep).join('/') });
  }
  return parts;
}
