/**
 * The TOC feature's pure API. `checkToc` says whether a note's TOC is current
 * and, if not, why (a diff and one diagnostic per wrong, missing or extra
 * entry); `updateToc` returns the note's new full text. Neither touches the
 * disk nor the note's own vfile: diagnostics are returned, not recorded.
 */
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { report } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import { headingAnchors } from '../markdown/slug.ts';
import { explainEntries } from './compare.ts';
import { unifiedDiff } from './diff.ts';
import { existingEntries } from './entries.ts';
import type { Problem } from './markers.ts';
import { frontMatterOptions, resolveOptions, type TocOptions } from './options.ts';
import { locateTocRegion, type TocRegion } from './region.ts';
import { renderRegion, type Replacement, tocEntries, type TocEntry } from './render.ts';
import { detectEol } from './text.ts';

export type TocStatus = 'current' | 'stale' | 'absent' | 'error';

export interface TocCheck {
  status: TocStatus;
  /** Unified diff (current → expected) when stale. */
  diff?: string;
  /** Errors (status 'error') or the explanation of a stale TOC (status 'stale'). */
  diagnostics: VFileMessage[];
  /** The expected full text of the file when stale or current. */
  expected?: string;
}

export interface TocUpdate {
  changed: boolean;
  /** The new full text (the old text when unchanged or on error). */
  text: string;
  diagnostics: VFileMessage[];
}

export interface TocPlan {
  status: TocStatus;
  problems: Problem[];
  region?: TocRegion;
  options?: TocOptions;
  entries?: TocEntry[];
  /** Replacement in offsets of the text without BOM. */
  replacement?: Replacement;
  /** The current and the expected text of the region. */
  current?: string;
  /** Expected full text of the file (BOM and everything outside the region kept). */
  expected?: string;
}

/** Locate, render and compare; the shared core of check and update. */
export function planToc(note: Note): TocPlan {
  const bomLength = note.bom ? 1 : 0;
  const body = note.text.slice(bomLength);
  const located = locateTocRegion(note.tree, body);
  const { region } = located;
  const problems = [...located.problems];
  if (!region) return { status: problems.length > 0 ? 'error' : 'absent', problems };
  const front = frontMatterOptions(note.tree);
  problems.push(...front.problems);
  const layers = region.kind === 'markers' ? [front.options, region.markerOptions] : [front.options];
  const resolved = resolveOptions(layers, region.place);
  problems.push(...resolved.problems);
  if (problems.length > 0) return { status: 'error', problems, region };
  const entries = tocEntries(headingAnchors(note.tree), resolved.options);
  const replacement = renderRegion(region, entries, body, detectEol(body));
  const current = body.slice(replacement.start, replacement.end);
  const expected = note.text.slice(0, bomLength + replacement.start) + replacement.text + note.text.slice(bomLength + replacement.end);
  return {
    status: current === replacement.text ? 'current' : 'stale',
    problems,
    region,
    options: resolved.options,
    entries,
    replacement,
    current,
    expected,
  };
}

function messages(note: Note, problems: readonly Problem[]): VFileMessage[] {
  const scratch = new VFile({ path: note.relPath });
  return problems.map((problem) => report(scratch, problem.reason, problem.place, problem.ruleId));
}

/** Why a stale TOC is stale, entry by entry (or as a whole when only the formatting differs). */
function explain(note: Note, plan: TocPlan): Problem[] {
  const { region, entries = [], options } = plan;
  if (!region || !options) return [];
  const lists = region.lists;
  const problems = explainEntries(existingEntries(lists), entries, headingAnchors(note.tree), options, region.place);
  if (problems.length === 0) {
    problems.push({
      reason: 'TOC entries match the headings but the region is not formatted as generated (bullets, indentation, escaping or blank lines; see the diff)',
      place: region.place,
      ruleId: 'toc-format',
    });
  }
  return problems;
}

export function checkToc(note: Note): TocCheck {
  const plan = planToc(note);
  switch (plan.status) {
    case 'error':
      return { status: 'error', diagnostics: messages(note, plan.problems) };
    case 'absent':
      return { status: 'absent', diagnostics: [] };
    case 'current':
      return { status: 'current', diagnostics: [], expected: plan.expected ?? note.text };
    case 'stale': {
      const expected = plan.expected ?? note.text;
      return { status: 'stale', diff: unifiedDiff(note.relPath, note.text, expected), diagnostics: messages(note, explain(note, plan)), expected };
    }
  }
}

export function updateToc(note: Note): TocUpdate {
  const plan = planToc(note);
  if (plan.status === 'error') return { changed: false, text: note.text, diagnostics: messages(note, plan.problems) };
  const text = plan.status === 'stale' && plan.expected !== undefined ? plan.expected : note.text;
  return { changed: text !== note.text, text, diagnostics: [] };
}
