/**
 * The nesting limit. Markdown lets lists, quotes and emphasis nest without
 * end, but every tool that walks a tree (micromark's container matching, the
 * gfm transforms, unist-util-visit, mdast-util-to-string, hast-util-to-html)
 * pays for depth: micromark's time grows with the square of the markers on
 * one line, and the walkers recurse, so a few thousand levels overflow the
 * stack. Nothing a person writes nests 100 levels deep, so deeper parts are
 * reported (`nesting-too-deep`) and skipped, and the rest of the note works.
 *
 * Two guards, both linear:
 * - before parsing, a line with more than MAX_NESTING container markers
 *   (`>`, `-`, `1.`, …) keeps its first MAX_NESTING and has the others
 *   replaced by spaces (same length, so every offset, line and column of the
 *   note stays the same);
 * - after parsing, nodes deeper than MAX_NESTING levels (nesting built by
 *   indentation over many lines) lose their children.
 */
import type { Nodes, Root } from 'mdast';
import type { Point } from 'unist';

/** Levels of lists, quotes, footnotes and inline markup one inside another. */
export const MAX_NESTING = 100;

export const NESTING_RULE = 'nesting-too-deep' as const;

export const NESTING_REASON = `lists, quotes or emphasis nested more than ${MAX_NESTING} levels deep; the part deeper than that is skipped (not parsed, not in the TOC, links not checked). Nest at most ${MAX_NESTING} levels: flatten this part of the note`;

/** Nodes that add a level of nesting (list, table, paragraph and heading nodes cannot nest without one of these between). */
const LEVEL = new Set(['blockquote', 'listItem', 'footnoteDefinition', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const TOP_FENCE = /^ {0,3}(`{3,}|~{3,})/;

export interface Limited {
  /** The text to parse: `text` with container markers past the limit replaced by spaces. */
  text: string;
  /** Where each truncated line's first marker past the limit was. */
  truncated: Point[];
}

/**
 * Replace the container markers past MAX_NESTING on each line by spaces.
 * Lines inside top-level fenced code are left alone (they are code, not
 * containers); so are thematic breaks (`- - - -`).
 */
export function limitContainerMarkers(text: string): Limited {
  const truncated: Point[] = [];
  let out: string[] | undefined;
  let copied = 0;
  let fence: { char: string; length: number } | undefined;
  let lineNumber = 1;
  let start = 0;
  while (start <= text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const line = text.slice(start, end);
    if (fence) {
      const close = TOP_FENCE.exec(line);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && /^[`~]*[ \t]*$/.test(line.trimStart())) fence = undefined;
    } else {
      const open = TOP_FENCE.exec(line);
      if (open && !(open[1]![0] === '`' && line.slice(open[0].length).includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
      else {
        const cut = markerCut(line);
        if (cut !== undefined) {
          out ??= [];
          out.push(text.slice(copied, start + cut.from));
          out.push(blankMarkers(line.slice(cut.from, cut.to)));
          copied = start + cut.to;
          truncated.push({ line: lineNumber, column: cut.from + 1, offset: start + cut.from });
        }
      }
    }
    if (end === text.length) break;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    lineNumber++;
  }
  if (!out) return { text, truncated };
  out.push(text.slice(copied));
  return { text: out.join(''), truncated };
}

/** Where the markers past the limit start and end on one line; undefined when the line is within it. */
function markerCut(line: string): { from: number; to: number } | undefined {
  // Cheap exit: a line needs at least MAX_NESTING + 1 characters to go past the limit.
  if (line.length <= MAX_NESTING) return undefined;
  let i = 0;
  let count = 0;
  let from = -1;
  let lastEnd = 0;
  for (;;) {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
    const marker = markerAt(line, i);
    if (marker === 0) break;
    i += marker;
    count++;
    if (count === MAX_NESTING + 1) from = i - marker;
    lastEnd = i;
  }
  if (from === -1 || THEMATIC.test(line)) return undefined;
  return { from, to: lastEnd };
}

/** Length of the container marker at `i` (`>`, a bullet or an ordered marker followed by a space, tab or the end), or 0. */
function markerAt(line: string, i: number): number {
  const char = line[i];
  if (char === '>') return 1;
  let j = i;
  if (char === '-' || char === '+' || char === '*') j++;
  else {
    while (j < line.length && j - i < 9 && line.charCodeAt(j) >= 48 && line.charCodeAt(j) <= 57) j++;
    if (j === i || (line[j] !== '.' && line[j] !== ')')) return 0;
    j++;
  }
  return j === line.length || line[j] === ' ' || line[j] === '\t' ? j - i : 0;
}

function blankMarkers(prefix: string): string {
  return prefix.replace(/[^ \t]/g, ' ');
}

/**
 * Empty every node nested deeper than MAX_NESTING levels; returns where the
 * outermost emptied nodes start. Iterative: the tree may be thousands deep.
 */
export function pruneDeepNodes(tree: Root): Point[] {
  const pruned: Point[] = [];
  const stack: Array<{ node: Nodes; level: number }> = [{ node: tree, level: 0 }];
  while (stack.length > 0) {
    const { node, level: parentLevel } = stack.pop()!;
    if (!('children' in node)) continue;
    const level = parentLevel + (LEVEL.has(node.type) ? 1 : 0);
    if (level > MAX_NESTING) {
      node.children = [];
      if (node.position) pruned.push(node.position.start);
      continue;
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as Nodes, level });
  }
  return pruned;
}
