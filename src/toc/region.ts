/**
 * Where a note's TOC lives, and only where its author asked for one:
 *
 * - between markers: `<!-- toc -->` … `<!-- tocstop -->` (this project's and
 *   markdown-toc's) or doctoc's `<!-- START doctoc … -->` … `<!-- END doctoc
 *   … -->`. Markers win: with markers, headings named like a TOC are plain
 *   headings. Only the list between the markers is owned; doctoc's comment
 *   and title lines stay as they are.
 * - the list right after a heading named `Table of contents`, `Contents`,
 *   `TOC`, ... (any case), when every entry of it is one link to an anchor of
 *   the same page; or right after such a heading whose section is empty.
 *
 * A list with any other entry, or prose under the heading, is the author's:
 * it is left alone and a warning says why. Offsets are into the text WITHOUT
 * the BOM, as in the tree.
 */
import type { Heading, List, Root, RootContent } from 'mdast';
import type { Point } from 'unist';
import { headingText } from '../markdown/slug.ts';
import { firstNonEntry } from './entries.ts';
import { DOCTOC_MARKERS, findMarkerPairs, type MarkerPair, type Problem, TOC_MARKERS } from './markers.ts';
import { parseMarkerOptions, type TocOptions } from './options.ts';
import { lineStart } from './text.ts';
import { walk } from './walk.ts';

export interface TocRegion {
  kind: 'markers' | 'heading';
  /**
   * How the TOC is written: `lists` replaces the existing lists; `between`
   * replaces the blank text between two markers; `after` inserts after the
   * block that ends at `start` (a heading, or doctoc's title between markers);
   * `open` inserts after a lone `<!-- toc -->`, with the `<!-- tocstop -->` that closes it.
   */
  mode: 'lists' | 'between' | 'after' | 'open';
  /** The owned range: the lists, the blank text between markers, or the empty range where a list is inserted. */
  start: number;
  end: number;
  /** The existing lists (a change of bullet character splits one list into several). */
  lists: List[];
  place: Point;
  /** Indentation of the list's first line (0–3 spaces), repeated on every rendered line. */
  indent: string;
  /** The heading the TOC sits under (named like a TOC), if any. Listed only when the author lists it. */
  ownHeading: Heading | undefined;
  /** Headings inside the region (between markers, e.g. doctoc's title): never listed. */
  inside: ReadonlySet<Heading>;
  markerOptions: Partial<TocOptions>;
  /** What to replace when the TOC has no entry at all: the whole text between the markers, or heading end to list end. */
  emptied: { start: number; end: number; text: 'blank' | 'none' };
}

export interface LocatedRegion {
  region: TocRegion | undefined;
  /** Errors: the note is left untouched. */
  problems: Problem[];
  /** Why no TOC was written where one might have been expected; the note is still processed. */
  warnings: Problem[];
}

const TOC_HEADING = /^(table of contents?|contents|toc)$/i;

/** True for a heading text that names a TOC: `Table of contents`, `Table of content`, `Contents`, `TOC`. */
export function isTocHeadingText(text: string): boolean {
  return TOC_HEADING.test(text.trim().replace(/\s+/g, ' '));
}

const offsetOf = (point: Point | undefined): number => point?.offset ?? 0;
const isTocHeading = (node: RootContent | undefined): node is Heading => node?.type === 'heading' && isTocHeadingText(headingText(node));

/** The lists starting at `index` in `tree.children`, one after the other. */
function listsFrom(tree: Root, index: number): List[] {
  const lists: List[] = [];
  for (let at = index; tree.children[at]?.type === 'list'; at++) lists.push(tree.children[at] as List);
  return lists;
}

function indentOf(body: string, start: number): string {
  const lead = body.slice(lineStart(body, start), start);
  return /^[ \t]*$/.test(lead) ? lead : '';
}

function listsRange(body: string, lists: List[]): Pick<TocRegion, 'start' | 'end' | 'place' | 'indent'> {
  const first = lists[0] as List;
  const start = offsetOf(first.position?.start);
  return { start, end: offsetOf(lists[lists.length - 1]?.position?.end), place: first.position?.start ?? { line: 1, column: 1 }, indent: indentOf(body, start) };
}

function markerRegion(tree: Root, body: string, pair: MarkerPair, markerOptions: Partial<TocOptions>): TocRegion {
  const between = tree.children.slice(pair.startIndex + 1, pair.endIndex);
  const inside = new Set(between.filter((node): node is Heading => node.type === 'heading'));
  const before = tree.children.slice(0, pair.startIndex).reverse().find((node) => node.type !== 'html');
  const ownHeading = [...inside].find((node) => isTocHeading(node)) ?? (isTocHeading(before) ? before : undefined);
  const firstList = between.findIndex((node) => node.type === 'list');
  const place = pair.start.position?.start ?? { line: 1, column: 1 };
  const startOffset = offsetOf(pair.start.position?.end);
  const endOffset = offsetOf(pair.end.position?.start);
  if (pair.open) {
    return { kind: 'markers', mode: 'open', start: startOffset, end: startOffset, lists: [], place, indent: '', ownHeading, inside, markerOptions, emptied: { start: startOffset, end: startOffset, text: 'none' } };
  }
  const common = { kind: 'markers' as const, ownHeading, inside, markerOptions, emptied: { start: startOffset, end: endOffset, text: 'blank' as const } };
  if (firstList !== -1) {
    const lists = listsFrom(tree, pair.startIndex + 1 + firstList);
    const range = listsRange(body, lists);
    // Between markers that hold more than the list (doctoc's comment and title), only the list goes.
    const emptied = between.every((node) => node.type === 'list') ? common.emptied : { start: range.start, end: range.end, text: 'none' as const };
    return { ...common, mode: 'lists', lists, ...range, emptied };
  }
  const last = between[between.length - 1];
  if (!last) return { ...common, mode: 'between', start: startOffset, end: endOffset, lists: [], place, indent: '' };
  const after = offsetOf(last.position?.end);
  return { ...common, mode: 'after', start: after, end: after, lists: [], place, indent: '' };
}

function markerLocation(tree: Root, body: string, pairs: MarkerPair[], problems: Problem[]): TocRegion | undefined {
  if (pairs.length > 1) {
    problems.push({
      reason: `second TOC region (the first starts at line ${pairs[0]?.start.position?.start.line ?? '?'}); a note has at most one`,
      place: pairs[1]?.start.position?.start,
      ruleId: 'toc-region-duplicate',
    });
  }
  const pair = pairs[0];
  if (problems.length > 0 || !pair) return undefined;
  const isDoctoc = DOCTOC_MARKERS.start.test(pair.start.value.trim());
  const parsed = isDoctoc ? { options: {}, problems: [] } : parseMarkerOptions(pair.rest, pair.restPoint);
  problems.push(...parsed.problems);
  const region = markerRegion(tree, body, pair, parsed.options);
  // A TOC list under a TOC heading elsewhere would be a second TOC: never write one next to it.
  tree.children.forEach((node, index) => {
    if (index > pair.startIndex && index < pair.endIndex) return;
    if (!isTocHeading(node)) return;
    const lists = listsFrom(tree, index + 1);
    if (lists.length > 0 && !firstNonEntry(lists)) {
      problems.push({
        reason: `a TOC list is already under the heading "${headingText(node)}" at line ${node.position?.start.line ?? '?'}, besides the markers at line ${pair.start.position?.start.line ?? '?'}; a note has at most one TOC: remove one of them`,
        place: lists[0]?.position?.start,
        ruleId: 'toc-region-duplicate',
      });
    }
  });
  return region;
}

const NODE_WORDS: Partial<Record<RootContent['type'], string>> = {
  paragraph: 'a paragraph',
  html: 'HTML',
  code: 'a code block',
  table: 'a table',
  blockquote: 'a blockquote',
  thematicBreak: 'a thematic break',
  definition: 'a link definition',
};

function describe(node: RootContent): string {
  if (node.type === 'heading') return `a sub-section "${headingText(node)}"`;
  return NODE_WORDS[node.type] ?? `a ${node.type}`;
}

/** The TOC a heading named like one asks for, or the warning that says why its section is the author's. */
function headingCandidate(tree: Root, body: string, heading: Heading, warnings: Problem[]): TocRegion | undefined {
  const index = tree.children.indexOf(heading);
  const next = tree.children[index + 1];
  const headingEnd = offsetOf(heading.position?.end);
  const name = headingText(heading);
  const line = heading.position?.start.line ?? '?';
  const common = { kind: 'heading' as const, ownHeading: heading, inside: new Set<Heading>(), markerOptions: {} };
  // An empty section (the next heading is not below this one) asks for a TOC; a sub-section is the author's content.
  if (!next || (next.type === 'heading' && next.depth <= heading.depth)) {
    const place = heading.position?.start ?? { line: 1, column: 1 };
    return { ...common, mode: 'after', start: headingEnd, end: headingEnd, lists: [], place, indent: '', emptied: { start: headingEnd, end: headingEnd, text: 'none' } };
  }
  if (next.type === 'list') {
    const lists = listsFrom(tree, index + 1);
    const stranger = firstNonEntry(lists);
    if (!stranger) {
      const range = listsRange(body, lists);
      return { ...common, mode: 'lists', lists, ...range, emptied: { start: headingEnd, end: range.end, text: 'none' } };
    }
    const { entry, reason } = stranger;
    warnings.push({
      reason: `the list under "${name}" (line ${line}) is the author's, not a TOC: its entry ${JSON.stringify(entry.text)} ${reason}; no TOC written there (a TOC list holds only links to this page's headings; put <!-- toc --> and <!-- tocstop --> where a generated one should go)`,
      place: entry.place,
      ruleId: 'toc-list-not-generated',
    });
    return undefined;
  }
  warnings.push({
    reason: `the section "${name}" (line ${line}) starts with ${describe(next)}, not a list of links to this page's headings; it is the author's, no TOC written there (put <!-- toc --> and <!-- tocstop --> where a generated one should go)`,
    place: next.position?.start,
    ruleId: 'toc-section-not-generated',
  });
  return undefined;
}

export function locateTocRegion(tree: Root, body: string): LocatedRegion {
  const ours = findMarkerPairs(tree, TOC_MARKERS);
  const doctoc = findMarkerPairs(tree, DOCTOC_MARKERS);
  const problems: Problem[] = [...ours.problems, ...doctoc.problems];
  const warnings: Problem[] = [];
  if (ours.seen || doctoc.seen) {
    const pairs = [...ours.pairs, ...doctoc.pairs].sort((a, b) => a.startIndex - b.startIndex);
    const region = markerLocation(tree, body, pairs, problems);
    return { region: problems.length > 0 ? undefined : region, problems, warnings };
  }

  const candidates: TocRegion[] = [];
  walk(tree, 'heading', (node, parent) => {
    if (!isTocHeadingText(headingText(node))) return;
    if (parent !== tree) {
      problems.push({
        reason: `TOC heading "${headingText(node)}" inside a ${parent?.type ?? 'container'} is not supported; TOCs live at the top level`,
        place: node.position?.start,
        ruleId: 'toc-unsupported',
      });
      return;
    }
    const candidate = headingCandidate(tree, body, node, warnings);
    if (candidate) candidates.push(candidate);
  });
  if (candidates.length > 1) {
    const [first, second] = candidates as [TocRegion, TocRegion];
    problems.push({
      reason: `second TOC heading "${headingText(second.ownHeading as Heading)}" (the first is at line ${first.ownHeading?.position?.start.line ?? '?'}); a note has at most one TOC`,
      place: second.ownHeading?.position?.start,
      ruleId: 'toc-region-duplicate',
    });
  }
  return { region: problems.length > 0 ? undefined : candidates[0], problems, warnings };
}
