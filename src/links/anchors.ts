/**
 * The anchors of one file, indexed for lookup: for a note, GitHub's heading
 * anchors (from the shared `headingAnchors`, see summary.ts) plus `id`/`name`
 * in raw HTML; for an HTML file its `id`/`name`; and every file's line count
 * for `#L10` links.
 */
import type { AnchorInfo } from './collect.ts';
import { htmlAnchors } from './html.ts';
import { countLines, lineStarts, pointAt } from './position.ts';
import type { NoteSummary } from './summary.ts';

export interface FileAnchors {
  list: AnchorInfo[];
  /** Exact anchor → first place defining it. */
  bySlug: Map<string, AnchorInfo>;
  /** Lower-cased anchor → first place defining it (for case-only mismatches). */
  byLowerSlug: Map<string, AnchorInfo>;
  lineCount: number;
}

export function anchorsFromList(list: AnchorInfo[], lineCount: number): FileAnchors {
  const bySlug = new Map<string, AnchorInfo>();
  const byLowerSlug = new Map<string, AnchorInfo>();
  for (const anchor of list) {
    if (!bySlug.has(anchor.slug)) bySlug.set(anchor.slug, anchor);
    const lower = anchor.slug.toLowerCase();
    if (!byLowerSlug.has(lower)) byLowerSlug.set(lower, anchor);
  }
  return { list, bySlug, byLowerSlug, lineCount };
}

/** Anchors of a Markdown note, from its summary (heading anchors, then HTML anchors). */
export function summaryAnchors(summary: NoteSummary): FileAnchors {
  return anchorsFromList(summary.anchors, summary.lineCount);
}

/** Anchors of an HTML file: its `id`/`name` attributes. */
export function htmlFileAnchors(text: string): FileAnchors {
  let starts: number[] | undefined;
  const list = htmlAnchors(text).map((attribute): AnchorInfo => {
    starts ??= lineStarts(text);
    const point = pointAt(starts, attribute.offset);
    return { slug: attribute.value, line: point.line, column: point.column, display: `${attribute.name}="${attribute.value}"` };
  });
  return anchorsFromList(list, countLines(text));
}

/** Any other file: no anchors, only lines. */
export function plainFileAnchors(text: string): FileAnchors {
  return anchorsFromList([], countLines(text));
}
