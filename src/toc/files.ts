/** Which files the TOC command works on. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';

/** Every `**\/*.md` under `dir`, absolute, sorted; dot folders and node_modules are skipped. */
export function listMarkdown(dir: string): string[] {
  return globSync('**/*.md', { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] })
    .map((file) => path.resolve(file))
    .sort();
}

export interface ResolvedInputs {
  files: string[];
  /** Paths that do not exist, as given. */
  missing: string[];
  /** Folders that hold no note, as given. */
  empty: string[];
}

/** Files given as such; folders expanded to their notes (default: their Markdown files). Order: as given, duplicates dropped. */
export function resolveInputs(paths: readonly string[], cwd: string, notesIn: (dir: string) => string[] = listMarkdown): ResolvedInputs {
  const files = new Set<string>();
  const missing: string[] = [];
  const empty: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(absolute).isDirectory();
    } catch {
      missing.push(given);
      continue;
    }
    const found = isDirectory ? notesIn(absolute) : [absolute];
    if (found.length === 0) empty.push(given);
    for (const file of found) files.add(file);
  }
  return { files: [...files], missing, empty };
}
