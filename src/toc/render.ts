/**
 * Rendering a TOC: which headings get an entry, how deep each entry is nested,
 * and the exact bytes of the region, in the style of the TOC it replaces.
 * Pure functions of the headings.
 */
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { HeadingAnchor } from '../markdown/slug.ts';
import type { TocOptions } from './options.ts';
import type { TocRegion } from './region.ts';
import { FRESH_STYLE, type TocStyle } from './style.ts';
import { TOC_MARKERS } from './markers.ts';
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

/** A code span whose text reads back as `value`. */
function codeSpan(value: string): string {
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || (value.startsWith(' ') && value.endsWith(' ')) ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** The heading's text as link text (plain text escaped, inline code kept when `code`), with the plain text it reads back as. */
function inlineText(node: Nodes, code: boolean): { markdown: string; plain: string } {
  switch (node.type) {
    case 'text':
      return { markdown: escapeInline(node.value), plain: node.value };
    case 'inlineCode':
      return { markdown: code && node.value.trim() !== '' && !/[\r\n]/.test(node.value) ? codeSpan(node.value) : escapeInline(node.value), plain: node.value };
    case 'image':
    case 'imageReference':
      return { markdown: escapeInline(node.alt ?? ''), plain: node.alt ?? '' };
    case 'html':
      return { markdown: '', plain: '' };
    default: {
      if (!('children' in node)) return { markdown: '', plain: toString(node, { includeImageAlt: true, includeHtml: false }) };
      const parts = (node.children as Nodes[]).map((child) => inlineText(child, code));
      return { markdown: parts.map((part) => part.markdown).join(''), plain: parts.map((part) => part.plain).join('') };
    }
  }
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function entryText(entry: Pick<TocEntry, 'text' | 'heading'>, code: boolean): string {
  const node = entry.heading.node;
  // A heading the outline scanner read without its inline nodes renders from its plain text.
  if (!node.children) return escapeInline(entry.text);
  const { markdown, plain } = inlineText(node, code);
  // Markup this renderer does not know falls back to the escaped plain text, so the entry always reads back as the heading.
  if (normalize(plain) !== normalize(entry.text)) return escapeInline(entry.text);
  return markdown.replace(/^\s+|\s+$/g, '');
}

/** The list lines, without a final line ending; lines after the first get `indent`. */
export function renderList(entries: readonly TocEntry[], style: TocStyle, eol: Eol, indent = ''): string {
  const lines: string[] = [];
  // Per open level: where its markers start, and how many items it has so far.
  const stack: Array<{ column: number; count: number; contentColumn: number }> = [];
  for (const entry of entries) {
    stack.length = Math.min(stack.length, entry.level + 1);
    while (stack.length < entry.level + 1) {
      const parent = stack[stack.length - 1];
      const column = parent ? Math.max(parent.column + style.width, parent.contentColumn) : 0;
      stack.push({ column, count: 0, contentColumn: column + 2 });
    }
    const open = stack[entry.level] as { column: number; count: number; contentColumn: number };
    const level = style.levels[Math.min(entry.level, style.levels.length - 1)] ?? { ordered: false, marker: '-' };
    open.count++;
    const marker = level.ordered ? `${style.increment ? open.count : 1}${level.marker}` : level.marker;
    open.contentColumn = open.column + marker.length + 1;
    lines.push(`${' '.repeat(open.column)}${marker} [${entryText(entry, style.code)}](#${entry.slug})`);
  }
  return lines.join(eol + indent);
}

export interface Replacement {
  /** Range of the text without BOM that gets replaced. */
  start: number;
  end: number;
  text: string;
}

/**
 * The replacement for a region:
 * - existing lists: the new list replaces them, the lines around stay;
 * - blank text between markers: `<!-- toc -->`, blank, list, blank, `<!-- tocstop -->`;
 * - after a lone `<!-- toc -->` (markdown-toc): blank, list, blank, `<!-- tocstop -->`;
 * - insertion after a block (a TOC heading with an empty section, doctoc's
 *   title between markers): one blank line, then the list; a blank line after
 *   it too when the next line is not blank, so the following text stays a
 *   separate block;
 * - no entries at all: the list is removed (between markers, one blank line is left).
 */
export function renderRegion(region: TocRegion, entries: readonly TocEntry[], body: string, eol: Eol, style: TocStyle = FRESH_STYLE): Replacement {
  if (entries.length === 0) {
    const { start, end, text } = region.emptied;
    if (region.mode === 'after') return { start: region.start, end: region.end, text: '' };
    return { start, end, text: text === 'blank' ? eol + eol : '' };
  }
  const list = renderList(entries, style, eol, region.indent);
  if (region.mode === 'lists') return { start: region.start, end: region.end, text: list };
  if (region.mode === 'between') return { start: region.start, end: region.end, text: eol + eol + list + eol + eol };
  if (region.mode === 'open') return { start: region.start, end: region.end, text: eol + eol + list + eol + eol + TOC_MARKERS.endLabel };
  const nextLine = /^\r?\n([^\r\n]*)/.exec(body.slice(region.start));
  const trailing = nextLine && nextLine[1]?.trim() !== '' ? eol : '';
  return { start: region.start, end: region.end, text: eol + eol + list + trailing };
}
