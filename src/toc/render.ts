/**
 * Rendering a TOC: which headings get an entry, how deep each entry is nested,
 * and the exact bytes of the region. Pure functions of the headings.
 */
import type { HeadingAnchor } from '../markdown/slug.ts';
import type { TocOptions } from './options.ts';
import type { TocRegion } from './region.ts';
import { type Eol, escapeInline } from './text.ts';

export interface TocEntry {
  /** Nesting level, 0 for the outermost bullets. */
  level: number;
  text: string;
  slug: string;
  heading: HeadingAnchor;
}

/**
 * One entry per heading with minDepth <= depth <= maxDepth, in document order.
 * The level is the depth relative to the shallowest included heading, but
 * never more than one level below the previous entry: a heading that skips
 * levels (## then ####) is nested one level deeper, because a bullet indented
 * further than that would be read by Markdown as a code block.
 */
export function tocEntries(anchors: readonly HeadingAnchor[], options: TocOptions): TocEntry[] {
  const included = anchors.filter((a) => a.depth >= options.minDepth && a.depth <= options.maxDepth);
  const base = Math.min(...included.map((a) => a.depth));
  const entries: TocEntry[] = [];
  let previous = -1;
  for (const heading of included) {
    const level = Math.min(heading.depth - base, previous + 1);
    entries.push({ level, text: heading.text, slug: heading.slug, heading });
    previous = level;
  }
  return entries;
}

/** `- [text](#slug)` with two spaces of indent per level. */
export function renderEntry(entry: Pick<TocEntry, 'level' | 'text' | 'slug'>): string {
  return `${'  '.repeat(entry.level)}- [${escapeInline(entry.text)}](#${entry.slug})`;
}

/** The list, without a final line ending; lines after the first get `indent`. */
export function renderList(entries: readonly TocEntry[], eol: Eol, indent = ''): string {
  return entries.map(renderEntry).join(eol + indent);
}

export interface Replacement {
  /** Range of the text without BOM that gets replaced. */
  start: number;
  end: number;
  text: string;
}

/**
 * The replacement for a region. Blank lines:
 * - markers: one blank line after the start marker and one before the end
 *   marker (`<!-- toc -->`, blank, list, blank, `<!-- tocstop -->`); with no
 *   entries, a single blank line between the markers;
 * - heading with a list: the list replaces the list, the lines around stay;
 * - heading without a list: the list is inserted after the heading line with
 *   one blank line before it; when the heading's next line is not blank, a
 *   blank line is added after the list too, so the following text stays a
 *   separate block;
 * - no entries at all under a TOC heading: the list (if any) is removed,
 *   together with the blank lines between the heading and it.
 */
export function renderRegion(region: TocRegion, entries: readonly TocEntry[], body: string, eol: Eol): Replacement {
  if (region.kind === 'markers') {
    const text = entries.length > 0 ? eol + eol + renderList(entries, eol) + eol + eol : eol + eol;
    return { start: region.start, end: region.end, text };
  }
  if (entries.length === 0) return { start: region.headingEnd, end: region.end, text: '' };
  if (region.list) return { start: region.start, end: region.end, text: renderList(entries, eol, region.indent) };
  const nextLine = /^\r?\n([^\r\n]*)/.exec(body.slice(region.headingEnd));
  const trailing = nextLine && nextLine[1]?.trim() !== '' ? eol : '';
  return { start: region.headingEnd, end: region.headingEnd, text: eol + eol + renderList(entries, eol) + trailing };
}
