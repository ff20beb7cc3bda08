/**
 * Read and summarise many notes: in batches through the fast scanner (whose
 * leftover blocks share one parse per batch), or each parsed whole with the
 * shared parser when `fast` is false. Each file is read once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { noteFromText, type Note } from '../markdown/parse.ts';
import { fastNotes } from './fast/resolve.ts';
import { summarizeNote, type NoteSummary } from './summary.ts';

export interface LoadOptions {
  root: string;
  /** Use the fast scanner (default true); false parses every note whole. */
  fast?: boolean;
  /** Notes per shared parse (default 32). */
  batchSize?: number;
}

/** Notes at `paths` (absolute or relative to the root), in the same order. */
export function loadNotes(paths: readonly string[], options: LoadOptions): Note[] {
  const files = paths.map((file) => {
    const abs = path.resolve(options.root, file);
    return { path: abs, text: readFileSync(abs, 'utf8') };
  });
  if (options.fast === false) return files.map((file) => noteFromText(file.path, file.text, { root: options.root }));
  const batchSize = options.batchSize ?? 32;
  const notes: Note[] = [];
  for (let i = 0; i < files.length; i += batchSize) notes.push(...fastNotes(files.slice(i, i + batchSize), options.root));
  return notes;
}

/** Summaries of the notes at `paths`, in the same order. */
export function loadSummaries(paths: readonly string[], options: LoadOptions): NoteSummary[] {
  return loadNotes(paths, options).map(summarizeNote);
}
