/**
 * The style of an existing TOC, so that a TOC written by doctoc, markdown-toc
 * or by hand is kept as its author wrote it: bullet characters, ordered or
 * not, indentation per level, whether it lists its own heading, the heading
 * depths it covers and whether link texts keep inline code. A fresh TOC gets
 * the defaults: `-` bullets, two spaces per level, no own heading, code kept.
 */
import type { Heading, List, ListItem } from 'mdast';
import type { HeadingAnchor } from '../markdown/slug.ts';
import { type ExistingEntry, existingEntries, hasCode } from './entries.ts';
import type { TocOptions } from './options.ts';

export interface LevelStyle {
  ordered: boolean;
  /** `-`, `*` or `+` for bullets; `.` or `)` after the number for ordered items. */
  marker: string;
}

export interface TocStyle {
  /** One per nesting level seen; deeper levels repeat the last one. */
  levels: LevelStyle[];
  /** Columns from an item's marker to its sub-items' markers. */
  width: number;
  /** Ordered items numbered 1, 2, 3 (false: every item is `1.`). */
  increment: boolean;
  /** The TOC lists the heading it sits under. */
  ownHeading: boolean;
  /** Link texts keep the heading's inline code. */
  code: boolean;
  /** Depths inferred from the headings the entries point to; undefined when none resolves. */
  depths: TocOptions | undefined;
  /** Only the headings after the TOC are listed (no entry points to one before it). */
  afterOnly: boolean;
}

export const FRESH_STYLE: Readonly<TocStyle> = {
  levels: [{ ordered: false, marker: '-' }],
  width: 2,
  increment: true,
  ownHeading: false,
  code: true,
  depths: undefined,
  afterOnly: false,
};

function levelStyles(lists: readonly List[], body: string): LevelStyle[] {
  const levels: LevelStyle[] = [];
  const visit = (list: List, level: number): void => {
    const item = list.children[0];
    const at = item?.position?.start.offset;
    if (item && at !== undefined && !levels[level]) {
      const marker = list.ordered ? (/^\d+([.)])/.exec(body.slice(at, at + 11))?.[1] ?? '.') : body.charAt(at);
      levels[level] = { ordered: list.ordered === true, marker };
    }
    for (const child of list.children) for (const sub of child.children) if (sub.type === 'list') visit(sub, level + 1);
  };
  for (const list of lists) visit(list, 0);
  // A hole (a level first seen in a later branch) takes the level above it.
  for (let index = 0; index < levels.length; index++) levels[index] ??= levels[index - 1] ?? { ordered: false, marker: '-' };
  return levels.length > 0 ? levels : [...FRESH_STYLE.levels];
}

/** Columns between the first item that has sub-items and its first sub-item. */
function indentWidth(lists: readonly List[]): number | undefined {
  const items: ListItem[] = lists.flatMap((list) => list.children);
  while (items.length > 0) {
    const item = items.shift() as ListItem;
    const sub = item.children.find((child): child is List => child.type === 'list');
    const subColumn = sub?.children[0]?.position?.start.column;
    const column = item.position?.start.column;
    if (subColumn !== undefined && column !== undefined) return subColumn - column;
    if (sub) items.push(...sub.children);
  }
  return undefined;
}

function incrementing(lists: readonly List[], body: string): boolean {
  let onesOnly = false;
  const visit = (list: List): boolean => {
    if (list.ordered) {
      for (const item of list.children) {
        const at = item.position?.start.offset;
        const number = at === undefined ? undefined : /^\d+/.exec(body.slice(at, at + 10))?.[0];
        if (number !== undefined && Number(number) !== (list.start ?? 1) + list.children.indexOf(item)) {
          if (Number(number) !== 1) return true;
          onesOnly = true;
        }
      }
    }
    return list.children.some((item) => item.children.some((child) => child.type === 'list' && visit(child)));
  };
  // Numbers that count up (or lists too short to tell) are 1, 2, 3; a list of `1.` everywhere is kept so.
  return lists.some(visit) || !onesOnly;
}

/** The style of the lists in a TOC region; anchors resolve the entries to headings. */
export function inferStyle(lists: readonly List[], body: string, anchors: readonly HeadingAnchor[], ownHeading: Heading | undefined, regionStart: number): TocStyle {
  if (lists.length === 0) return { ...FRESH_STYLE, levels: [...FRESH_STYLE.levels] };
  const entries: ExistingEntry[] = existingEntries(lists);
  const bySlug = new Map(anchors.map((anchor) => [anchor.slug, anchor]));
  const own = anchors.find((anchor) => anchor.node === ownHeading);
  const resolved = entries.flatMap((entry) => {
    const heading = entry.anchor === undefined ? undefined : bySlug.get(entry.anchor);
    return heading ? [{ entry, heading }] : [];
  });
  // The own heading counts too when listed: a range that left it out would drop it on the next run.
  const depths = resolved.map(({ heading }) => heading.depth);
  const withCode = resolved.filter(({ heading }) => hasCode(heading.node));
  return {
    levels: levelStyles(lists, body),
    width: indentWidth(lists) ?? 2,
    increment: incrementing(lists, body),
    ownHeading: own !== undefined && resolved.some(({ heading }) => heading === own),
    code: withCode.length === 0 || withCode.some(({ entry }) => entry.code),
    depths: depths.length > 0 ? { minDepth: Math.min(...depths), maxDepth: Math.max(...depths) } : undefined,
    afterOnly: resolved.length > 0 && resolved.every(({ heading }) => heading === own || (heading.node.position?.start.offset ?? 0) > regionStart),
  };
}
