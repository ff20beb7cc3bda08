/** The notes of a knowledge base and their plans, read in the main process (see build.ts for why). */
import type { KbConfig } from '../config/schema.ts';
import { readNote, type Note } from '../markdown/parse.ts';
import { planConfigured } from '../plan/configured.ts';
import type { NotePlan } from '../plan/types.ts';

export interface LoadedNote {
  note: Note;
  plan: NotePlan;
}

/**
 * The notes at `files` (absolute: `collectNotes`, the list vitest runs too), absolute path → note
 * and plan. With the configuration, each plan is the one the run makes (src/vitest/plugin.ts): its
 * `run` mode and the languages turned off for the file mark those examples as not run, with why.
 */
export function loadNotes(root: string, files: readonly string[], config?: KbConfig): Map<string, LoadedNote> {
  const notes = new Map<string, LoadedNote>();
  for (const file of files) {
    const note = readNote(file, { root });
    const plan = planConfigured(note, root, config, file);
    notes.set(file, { note, plan });
  }
  return notes;
}
