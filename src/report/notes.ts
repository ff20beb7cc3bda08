/** The notes of a knowledge base and their plans, read in the main process (see build.ts for why). */
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { readNote, type Note } from '../markdown/parse.ts';
import { extractPlan } from '../plan/extract.ts';
import type { NotePlan } from '../plan/types.ts';

export interface LoadedNote {
  note: Note;
  plan: NotePlan;
}

/** Every note vitest's `notes` project would run (same patterns), absolute path → note and plan. */
export function loadNotes(root: string, patterns: string[]): Map<string, LoadedNote> {
  const files = globSync(patterns, { cwd: root, absolute: true, ignore: ['**/node_modules/**'] })
    .map((file) => path.resolve(file))
    .sort();
  const notes = new Map<string, LoadedNote>();
  for (const file of files) {
    const note = readNote(file, { root });
    notes.set(file, { note, plan: extractPlan(note, { root }) });
  }
  return notes;
}
