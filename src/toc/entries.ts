/**
 * The entries a TOC region holds now: one per list item, flattened in
 * document order, and whether a list is a TOC at all (every entry exactly one
 * link to an anchor of the same page), which is what makes a list under a
 * "Contents" heading generated rather than the author's.
 */
import type { Link, List, ListItem, Nodes, Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Point } from 'unist';

export interface ExistingEntry {
  level: number;
  /** Plain text of the item's link (or of its first paragraph when it has no link). */
  text: string;
  /** The link's target without `#` (percent-decoded) when it is an in-page link; undefined otherwise. */
  anchor: string | undefined;
  url: string | undefined;
  /** True when the link text holds inline code (`` [`foo()`](#foo) ``). */
  code: boolean;
  place: Point;
  item: ListItem;
}

function firstLink(paragraph: Paragraph | undefined): Link | undefined {
  return paragraph?.children.find((child): child is Link => child.type === 'link');
}

function decodeAnchor(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

export function hasCode(node: Nodes): boolean {
  if (node.type === 'inlineCode') return true;
  return 'children' in node && (node.children as Nodes[]).some(hasCode);
}

function collect(list: List, level: number, out: ExistingEntry[]): void {
  for (const item of list.children as ListItem[]) {
    const paragraph = item.children.find((child): child is Paragraph => child.type === 'paragraph');
    const link = firstLink(paragraph);
    const node = link ?? paragraph ?? item;
    const url = link?.url;
    out.push({
      level,
      text: toString(link ?? paragraph ?? '', { includeImageAlt: true, includeHtml: false }).trim(),
      anchor: url?.startsWith('#') ? decodeAnchor(url.slice(1)) : undefined,
      url,
      code: link ? hasCode(link) : false,
      place: node.position?.start ?? item.position?.start ?? { line: 1, column: 1 },
      item,
    });
    for (const child of item.children) if (child.type === 'list') collect(child, level + 1, out);
  }
}

export function existingEntries(lists: readonly List[]): ExistingEntry[] {
  const out: ExistingEntry[] = [];
  for (const list of lists) collect(list, 0, out);
  return out;
}

/** Why an item is not a TOC entry, or undefined when it is one: its first block is a paragraph holding one in-page link and nothing else. */
export function notAnEntry(item: ListItem): string | undefined {
  const [first, ...rest] = item.children;
  if (first?.type !== 'paragraph') return first ? `holds a ${first.type}, not a link` : 'is empty';
  if (rest.some((child) => child.type !== 'list')) return `holds a ${rest.find((child) => child.type !== 'list')?.type} after its link`;
  const parts = first.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const link = parts[0];
  if (parts.length !== 1 || link?.type !== 'link') return link?.type === 'link' ? 'has text besides its link' : 'is not a link';
  if (!link.url.startsWith('#')) return `links to ${link.url}, not to a heading of this page`;
  return undefined;
}

/** The first entry that makes these lists the author's rather than a TOC, with the reason; undefined when every entry is an in-page link. */
export function firstNonEntry(lists: readonly List[]): { entry: ExistingEntry; reason: string } | undefined {
  for (const entry of existingEntries(lists)) {
    const reason = notAnEntry(entry.item);
    if (reason) return { entry, reason };
  }
  return undefined;
}
