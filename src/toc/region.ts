/**
 * Where a note's TOC lives. Either between `<!-- toc -->` and `<!-- tocstop -->`
 * (markers win: when a note has markers, headings named like a TOC are plain
 * headings), or the top-level list right after a heading named `Table of
 * contents`, `Table of content`, `Contents` or `TOC` (any case). Offsets are
 * into the text WITHOUT the BOM, as in the tree.
 */
import type { Heading, List, Root } from 'mdast';
import type { Point } from 'unist';
import { headingText } from '../markdown/slug.ts';
import { findMarkerPairs, type Problem, TOC_MARKERS } from './markers.ts';
import { parseMarkerOptions, type TocOptions } from './options.ts';
import { lineStart } from './text.ts';
import { walk } from './walk.ts';

export type TocRegion =
  | {
      kind: 'markers';
      /** Region: from the end of the start marker to the start of the end marker. */
      start: number;
      end: number;
      place: Point;
      /** Top-level lists between the markers (normally one). */
      lists: List[];
      markerOptions: Partial<TocOptions>;
    }
  | {
      kind: 'heading';
      heading: Heading;
      /** The list right after the heading; the region is that list. */
      list: List | undefined;
      /** That list and the lists right after it (bullets changing from `-` to `*` split a list). */
      lists: List[];
      /** Region: the list, or the empty range at the end of the heading when there is no list. */
      start: number;
      end: number;
      /** End of the TOC heading (where a missing list is inserted). */
      headingEnd: number;
      place: Point;
      /** Indentation of the list's first line (0–3 spaces), repeated on every rendered line. */
      indent: string;
    };

export interface LocatedRegion {
  region: TocRegion | undefined;
  problems: Problem[];
}

const TOC_HEADING = /^(table of contents?|contents|toc)$/i;

/** True for a heading text that names a TOC: `Table of contents`, `Table of content`, `Contents`, `TOC`. */
export function isTocHeadingText(text: string): boolean {
  return TOC_HEADING.test(text.trim().replace(/\s+/g, ' '));
}

function offsetOf(point: Point | undefined): number {
  return point?.offset ?? 0;
}

export function locateTocRegion(tree: Root, body: string): LocatedRegion {
  const scan = findMarkerPairs(tree, TOC_MARKERS);
  const problems: Problem[] = [...scan.problems];
  if (scan.seen) {
    if (scan.pairs.length > 1) {
      const second = scan.pairs[1];
      problems.push({
        reason: `second TOC region (the first starts at line ${scan.pairs[0]?.start.position?.start.line ?? '?'}); a note has at most one`,
        place: second?.start.position?.start,
        ruleId: 'toc-region-duplicate',
      });
    }
    const pair = scan.pairs[0];
    if (problems.length > 0 || !pair) return { region: undefined, problems };
    const parsed = parseMarkerOptions(pair.rest, pair.restPoint);
    problems.push(...parsed.problems);
    const between = tree.children.slice(pair.startIndex + 1, pair.endIndex);
    return {
      region: {
        kind: 'markers',
        start: offsetOf(pair.start.position?.end),
        end: offsetOf(pair.end.position?.start),
        place: pair.start.position?.start ?? { line: 1, column: 1 },
        lists: between.filter((node): node is List => node.type === 'list'),
        markerOptions: parsed.options,
      },
      problems,
    };
  }

  const headings: Heading[] = [];
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
    headings.push(node);
  });
  if (headings.length > 1) {
    problems.push({
      reason: `second TOC heading "${headingText(headings[1] as Heading)}" (the first is at line ${headings[0]?.position?.start.line ?? '?'}); a note has at most one TOC`,
      place: headings[1]?.position?.start,
      ruleId: 'toc-region-duplicate',
    });
  }
  const heading = headings[0];
  if (problems.length > 0 || !heading) return { region: undefined, problems };
  // The lists right after the heading: a change of bullet character splits one list into several.
  const lists: List[] = [];
  for (let index = tree.children.indexOf(heading) + 1; tree.children[index]?.type === 'list'; index++) lists.push(tree.children[index] as List);
  const list = lists[0];
  const headingEnd = offsetOf(heading.position?.end);
  const start = list ? offsetOf(list.position?.start) : headingEnd;
  const lead = body.slice(lineStart(body, start), start);
  return {
    region: {
      kind: 'heading',
      heading,
      list,
      lists,
      start,
      end: list ? offsetOf(lists[lists.length - 1]?.position?.end) : headingEnd,
      headingEnd,
      place: list?.position?.start ?? heading.position?.start ?? { line: 1, column: 1 },
      indent: list && /^[ \t]*$/.test(lead) ? lead : '',
    },
    problems,
  };
}
