/** The state one pass over a note's tree builds up, shared by the modules that read each kind of node. */
import type { Code, Html, Nodes } from 'mdast';
import { fenceBody } from './fences.ts';
import type { Place } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import type { CheckPlan, ClaimPlan, CodePart, ExamplePlan, IncludePlan, PlanItem, SectionPlan } from './types.ts';

export interface ScopedCode extends CodePart {
  /** Index of the heading whose section it belongs to; -1 = the whole note. */
  section: number;
  kind: 'setup' | 'teardown';
}

export interface Walk {
  note: Note;
  /** The note's text without its BOM: the offsets in the tree point into it (inside a container: the dedented body). */
  source: string;
  /** Inside a container body: lines and columns `source` is shifted by in the note, and its offsets → note offsets. */
  origin: { line: number; column: number; toNoteOffset: (offset: number) => number };
  /** Repository root, to resolve includes and linked scripts. */
  root: string;
  headingStack: { depth: number; title: string; index: number }[];
  headingCount: number;
  items: PlanItem[];
  sections: SectionPlan[];
  scoped: ScopedCode[];
  claims: Map<string, ClaimPlan>;
  pendingChecks: { id: string; check: CheckPlan; line: number; column: number }[];
  pendingInclude?: { include: IncludePlan; node: Html };
  /** An open `<!-- skip start -->` range, or a `skip next` waiting for its example. */
  skipRange?: { reason: string | true; line: number; column: number; next: boolean };
  /** Section ancestry (heading indexes) of every example and claim, to apply setup later. */
  ancestry: Map<ExamplePlan | ClaimPlan, number[]>;
  title: string;
  skipTitleDepth: number | null;
}

/** The heading path of the current position, without the note's own title. */
export function headingPath(walk: Walk): string[] {
  return walk.headingStack.filter((h) => h.depth !== walk.skipTitleDepth || h.index !== 0).map((h) => h.title);
}

/** A node's start, `offset` columns to the right. */
export function place(node: Nodes | undefined, offset = 0): Place {
  const start = node?.position?.start;
  if (!start) return undefined;
  return { line: start.line, column: start.column + offset };
}

/** Record an example or claim in the current section. */
export function addItem(walk: Walk, item: ExamplePlan | ClaimPlan, sectionItemId: string): void {
  walk.ancestry.set(item, walk.headingStack.map((h) => h.index));
  walk.items.push(item);
  walk.sections[walk.sections.length - 1]?.items.push(sectionItemId);
}

/** Note offsets of a fence's body (inside a container, mapped back from the dedented body). */
export function noteBody(walk: Walk, node: Code): { bodyStart: number; bodyEnd: number } {
  const { bodyStart, bodyEnd } = fenceBody(walk.source, node);
  return { bodyStart: walk.origin.toNoteOffset(bodyStart), bodyEnd: walk.origin.toNoteOffset(bodyEnd) };
}
