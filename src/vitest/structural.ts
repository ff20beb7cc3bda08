/**
 * Checks of a note's structure that need no interpreter (table of contents,
 * links). They run at transform time on the note's one parse; each becomes a
 * case of the note's test file.
 */
import type { Note } from '../markdown/parse.ts';
import type { StructuralCase } from './codegen.ts';

export interface StructuralOptions {
  root: string;
}

export function structuralCases(_note: Note, _options: StructuralOptions): StructuralCase[] {
  return [];
}
