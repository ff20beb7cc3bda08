/**
 * The TOC feature's pure API. `checkToc` says whether a note's TOC is current
 * and, if not, why (a diff and one diagnostic per wrong, missing or extra
 * entry); `updateToc` returns the note's new full text. Neither touches the
 * disk nor the note's own vfile: diagnostics are returned, not recorded.
 */
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { report, warn } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import { headingAnchors } from '../markdown/slug.ts';
import { explainEntries } from './compare.ts';
import { unifiedDiff } from './diff.ts';
import { type ExistingEntry, existingEntries } from './entries.ts';
import { inferStyle, type TocStyle } from './style.ts';
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
  /** Why no TOC was written somewhere the note might have wanted one (never fatal). */
  warnings: VFileMessage[];
  /** The expected full text of the file when stale or current. */
  expected?: string;
}

export interface TocUpdate {
  /** The status before the update. */
  status: TocStatus;
  changed: boolean;
  /** The new full text (the old text when unchanged or on error). */
  text: string;
  diagnostics: VFileMessage[];
  warnings: VFileMessage[];
}

export interface TocPlan {
  status: TocStatus;
  problems: Problem[];
  warnings: Problem[];
  region?: TocRegion;
  options?: TocOptions;
  style?: TocStyle;
  entries?: TocEntry[];
  /** Replacement in offsets of the text without BOM. */
  replacement?: Replacement;
  /** The current text of the region. */
  current?: string;
  /** Expected full text of the file (BOM and everything outside the region kept). */
  expected?: string;
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The existing entries say what the headings say: same anchors, texts and nesting, in order. Formatting is the author's. */
function matches(existing: readonly ExistingEntry[], expected: readonly TocEntry[]): boolean {
  return (
    existing.length === expected.length &&
    existing.every((have, index) => {
      const want = expected[index] as TocEntry;
      return have.anchor === want.slug && have.level === want.level && normalize(have.text) === normalize(want.text);
    })
  );
}

/** Locate, infer the style, render and compare; the shared core of check and update. */
export function planToc(note: Note): TocPlan {
  const bomLength = note.bom ? 1 : 0;
  const body = note.text.slice(bomLength);
  const located = locateTocRegion(note.tree, body);
  const { region, warnings } = located;
  const problems = [...located.problems];
  if (!region) return { status: problems.length > 0 ? 'error' : 'absent', problems, warnings };
  const front = frontMatterOptions(note.tree);
  problems.push(...front.problems);
  const anchors = headingAnchors(note.tree);
  const style = inferStyle(region.lists, body, anchors, region.ownHeading, region.start);
  // Explicit options (front matter, marker) replace the depths the existing entries show; either replaces the defaults.
  const explicit = Object.keys(front.options).length + Object.keys(region.markerOptions).length > 0;
  const layers = explicit ? [front.options, region.markerOptions] : [style.depths ?? {}];
  const resolved = resolveOptions(layers, region.place);
  problems.push(...resolved.problems);
  if (problems.length > 0) return { status: 'error', problems, warnings, region };
  const listed = anchors.filter(
    (anchor) =>
      !region.inside.has(anchor.node) &&
      (style.ownHeading || anchor.node !== region.ownHeading) &&
      (!style.afterOnly || anchor.node === region.ownHeading || (anchor.node.position?.start.offset ?? 0) > region.start),
  );
  const entries = tocEntries(listed, resolved.options);
  const eol = detectEol(body);
  if (region.mode === 'lists' && matches(existingEntries(region.lists), entries)) {
    const current = body.slice(region.start, region.end);
    return { status: 'current', problems, warnings, region, options: resolved.options, style, entries, current, expected: note.text };
  }
  const replacement = renderRegion(region, entries, body, eol, style);
  const current = body.slice(replacement.start, replacement.end);
  const expected = note.text.slice(0, bomLength + replacement.start) + replacement.text + note.text.slice(bomLength + replacement.end);
  return {
    status: current === replacement.text ? 'current' : 'stale',
    problems,
    warnings,
    region,
    options: resolved.options,
    style,
    entries,
    replacement,
    current,
    expected,
  };
}

function messages(note: Note, problems: readonly Problem[], severity: 'error' | 'warning' = 'error'): VFileMessage[] {
  const scratch = new VFile({ path: note.relPath });
  const record = severity === 'error' ? report : warn;
  return problems.map((problem) => record(scratch, problem.reason, problem.place, problem.ruleId));
}

/** Why a stale TOC is stale, entry by entry (or as a whole when only the formatting differs). */
function explain(note: Note, plan: TocPlan): Problem[] {
  const { region, entries = [], options } = plan;
  if (!region || !options) return [];
  const lists = region.lists;
  const problems = explainEntries(existingEntries(lists), entries, headingAnchors(note.tree), options, region.place);
  if (problems.length === 0) {
    problems.push({
      reason: 'TOC entries match the headings but the region is not laid out as generated (blank lines around the list; see the diff)',
      place: region.place,
      ruleId: 'toc-format',
    });
  }
  return problems;
}

export function checkToc(note: Note): TocCheck {
  const plan = planToc(note);
  const warnings = messages(note, plan.warnings, 'warning');
  switch (plan.status) {
    case 'error':
      return { status: 'error', diagnostics: messages(note, plan.problems), warnings };
    case 'absent':
      return { status: 'absent', diagnostics: [], warnings };
    case 'current':
      return { status: 'current', diagnostics: [], warnings, expected: plan.expected ?? note.text };
    case 'stale': {
      const expected = plan.expected ?? note.text;
      return { status: 'stale', diff: unifiedDiff(note.relPath, note.text, expected), diagnostics: messages(note, explain(note, plan)), warnings, expected };
    }
  }
}

export function updateToc(note: Note): TocUpdate {
  const plan = planToc(note);
  const warnings = messages(note, plan.warnings, 'warning');
  if (plan.status === 'error') return { status: 'error', changed: false, text: note.text, diagnostics: messages(note, plan.problems), warnings };
  const text = plan.status === 'stale' && plan.expected !== undefined ? plan.expected : note.text;
  return { status: plan.status, changed: text !== note.text, text, diagnostics: [], warnings };
}
