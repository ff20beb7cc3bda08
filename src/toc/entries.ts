/** The entries a TOC region holds now: one per list item, flattened in document order. */
import type { Link, List, ListItem, Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Point } from 'unist';

export interface ExistingEntry {
  level: number;
  /** Plain text of the item's link (or of its first paragraph when it has no link). */
  text: string;
  /** The link's target without `#` when it is an in-page link; undefined otherwise. */
  anchor: string | undefined;
  url: string | undefined;
  place: Point;
}

function firstLink(paragraph: Paragraph | undefined): Link | undefined {
  return paragraph?.children.find((child): child is Link => child.type === 'link');
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
      anchor: url?.startsWith('#') ? url.slice(1) : undefined,
      url,
      place: node.position?.start ?? item.position?.start ?? { line: 1, column: 1 },
    });
    for (const child of item.children) if (child.type === 'list') collect(child, level + 1, out);
  }
}

export function existingEntries(lists: readonly List[]): ExistingEntry[] {
  const out: ExistingEntry[] = [];
  for (const list of lists) collect(list, 0, out);
  return out;
}
