/**
 * The saved result of `kb mutate` (`<root>/.kb/mutations.json`) and its
 * summary for the report. A note whose text changed since the run is marked
 * stale: its mutations were run on other text.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { noteHash, type NoteMutations } from './run.ts';

export const MUTATIONS_FILE = '.kb/mutations.json';

export interface MutationResult {
  /** ISO 8601 time of the run. */
  generatedAt: string;
  /** Mutations per claim at most. */
  limit: number;
  notes: NoteMutations[];
}

/** The report's `mutations` section. */
export interface MutationSummary {
  generatedAt: string;
  /** Mutations run, and how many the evidence caught (failed under). */
  total: number;
  caught: number;
  /** Each mutation that still passed: evidence not bound to what it claims. */
  survivors: { path: string; claim: string; line: number; what: string; stale: boolean }[];
  /** Notes changed since the mutation run (their figures may be out of date). */
  stale: string[];
}

/** The saved result under `root`, summarised against the notes' current text; undefined when there is none. */
export function loadMutationSummary(root: string, texts: Map<string, string>): MutationSummary | undefined {
  const file = path.join(root, MUTATIONS_FILE);
  if (!existsSync(file)) return undefined;
  let result: MutationResult;
  try {
    result = JSON.parse(readFileSync(file, 'utf8')) as MutationResult;
    if (!Array.isArray(result.notes)) throw new Error('no notes');
  } catch (error) {
    throw new Error(`${MUTATIONS_FILE} is not a result of \`kb mutate\` (${(error as Error).message}); run \`kb mutate\` again or delete it`);
  }
  const stale = result.notes.filter((n) => texts.get(n.path) === undefined || noteHash(texts.get(n.path)!) !== n.hash).map((n) => n.path);
  let total = 0;
  let caught = 0;
  const survivors: MutationSummary['survivors'] = [];
  for (const note of result.notes) {
    for (const claim of note.claims) {
      for (const m of claim.mutations) {
        total++;
        if (m.survived) survivors.push({ path: note.path, claim: claim.id, line: m.line, what: m.what, stale: stale.includes(note.path) });
        else caught++;
      }
    }
  }
  return { generatedAt: result.generatedAt, total, caught, survivors, stale };
}
