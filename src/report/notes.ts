/** The notes of a knowledge base and their plans, read in the main process (see build.ts for why). */
import { readNote, type Note } from '../markdown/parse.ts';
import { extractPlan } from '../plan/extract.ts';
import type { NotePlan } from '../plan/types.ts';

export interface LoadedNote {
  note: Note;
  plan: NotePlan;
}

/** The notes at `files` (absolute: `collectNotes`, the list vitest runs too), absolute path → note and plan. */
export function loadNotes(root: string, files: readonly string[]): Map<string, LoadedNote> {
  const notes = new Map<string, LoadedNote>();
  for (const file of files) {
    const note = readNote(file, { root });
    notes.set(file, { note, plan: extractPlan(note, { root }) });
  }
  return notes;
}
