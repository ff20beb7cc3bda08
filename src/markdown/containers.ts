/**
 * mkdocs containers: admonitions (`!!! note`), collapsible blocks (`??? tip`,
 * `???+ example`), content tabs (`=== "Tab"`) and the definitions of
 * definition lists (`:   text` under a term). Their body is indented by
 * four spaces, which CommonMark reads as an indented code block (or paragraph
 * continuation), so what is inside (fences, links, definitions, headings)
 * would never be seen. Python-Markdown (and pytest-examples) dedent the body
 * and read it as Markdown again; so do we: each body is parsed on its own, its
 * nodes moved to their lines and columns in the note, and the bodies nested in
 * it found the same way. A container may stand inside a block quote
 * (`> !!! note`, body lines `>     ...`): the quote markers are removed first,
 * as the renderer does. The plan (examples) and the link checker both read a
 * note through `readContainers`, so they can never disagree about what a
 * container holds.
 */
import type { Code, Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { parseMarkdown } from './parse.ts';

/** The marker after the quote markers (`> `) a line may start with. */
const CONTAINER_MARKER = /^([ \t]*)(!!!|\?\?\?\+?|===)[ \t]/;
/**
 * A definition of a definition list (Python-Markdown's def_list, pandoc): `:` and one to three
 * spaces after a term; the rest of the line and the lines indented under it are its body.
 */
const DEFINITION_MARKER = /^( {0,3}):[ \t]{1,3}(?=\S)/;
/** Block quote markers as Python-Markdown strips them: up to three spaces, `>`, one optional space. */
const QUOTE_PREFIX = /^(?: {0,3}> ?)*/;
/**
 * A cheap test: does the text hold a container marker at all? The quote markers are matched
 * atomically (lookahead + backreference): `(?: {0,3}> ?)*` followed by spaces could split a
 * line of many `> ` in exponentially many ways before failing.
 */
const MAY_HOLD_CONTAINER = /^(?=((?: {0,3}> ?)*))\1(?:[ \t]*(?:!!!|\?\?\?\+?|===)[ \t]| {0,3}:[ \t])/m;

export interface ContainerBody {
  /** 1-based lines of `source` (the text it was found in): the container's marker, and the body's first and last non-blank lines. */
  headerLine: number;
  firstLine: number;
  lastLine: number;
  /** The body with its quote markers and indentation removed, one line per source line. */
  text: string;
  /** Columns of indentation removed from each body line (after its quote markers). */
  indent: number;
  /** Characters removed from the start of each body line (quote markers and indentation). */
  removed: number[];
  /** A body offset → the offset in `source`; a line start maps to the source line's start (its prefix included). */
  toSourceOffset: (offset: number) => number;
}

/** Whether `text` may hold a container (no false negatives): lets callers skip the work on most notes. */
export function mayHoldContainer(text: string): boolean {
  return MAY_HOLD_CONTAINER.test(text);
}

/**
 * The container bodies of `source` (not nested ones: those are found when a body is read).
 * `inCode(line)` says whether a line of `source` belongs to a code block of its tree
 * (an admonition written inside a ```markdown example is not a container).
 */
export function findContainers(source: string, inCode: (line: number) => boolean): ContainerBody[] {
  if (!mayHoldContainer(source)) return [];
  const lines = source.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  const found: ContainerBody[] = [];
  for (let i = 0; i < lines.length; i++) {
    const header = splitQuote(lines[i]!);
    const m = CONTAINER_MARKER.exec(header.content);
    const definition = m ? null : DEFINITION_MARKER.exec(header.content);
    if ((!m && !(definition && afterTerm(lines, i))) || inCode(i + 1)) continue;
    const headerIndent = width((m ?? definition)![1]!);
    let last = -1;
    let indent = Infinity;
    for (let j = i + 1; j < lines.length; j++) {
      const line = splitQuote(lines[j]!.replace(/\r$/, ''));
      if (line.content.trim() === '') continue;
      // A body stays inside its block quote: a line of another quote depth ends it.
      if (line.depth !== header.depth) break;
      const w = width(/^[ \t]*/.exec(line.content)![0]);
      if (w <= headerIndent) break;
      last = j;
      indent = Math.min(indent, w);
    }
    // A definition's body starts on the marker's own line, after `:   `.
    const first = definition ? i : i + 1;
    if (definition) last = Math.max(last, i);
    if (last === -1) continue;
    const removed: number[] = [];
    const bodyLines: string[] = [];
    if (definition) {
      removed.push(header.prefix.length + definition[0].length);
      bodyLines.push(lines[i]!.slice(header.prefix.length + definition[0].length));
    }
    for (let j = i + 1; j <= last; j++) {
      const { prefix, content } = splitQuote(lines[j]!);
      const cut = prefix.length + cutIndent(content, indent);
      removed.push(cut);
      bodyLines.push(lines[j]!.slice(cut));
    }
    if (indent === Infinity) indent = 0;
    const bodyStarts: number[] = [];
    let d = 0;
    for (const l of bodyLines) {
      bodyStarts.push(d);
      d += l.length + 1;
    }
    const toSourceOffset = (offset: number): number => {
      const k = lineIndexAt(bodyStarts, offset);
      const within = offset - bodyStarts[k]!;
      if (within === 0) return starts[first + k]!;
      if (k === bodyLines.length - 1 && within > bodyLines[k]!.length) return starts[first + k]! + removed[k]! + bodyLines[k]!.length + 1;
      return starts[first + k]! + removed[k]! + within;
    };
    found.push({ headerLine: i + 1, firstLine: first + 1, lastLine: last + 1, text: bodyLines.join('\n'), indent, removed, toSourceOffset });
    i = last;
  }
  return found;
}

/**
 * A note, or one container body in it, read as Markdown. The tree's lines and
 * columns are the note's; its offsets point into `source`.
 */
export interface ContainerLayer extends Omit<Placement, 'toNotePoint'> {
  tree: Root;
  /** The text the tree's offsets point into: the note's (without BOM), or the dedented body. */
  source: string;
  /** The containers directly inside, in document order. */
  bodies: ContainerLayer[];
  /** Whether a note line belongs to one of `bodies`: what this layer's tree made of that line is not the page. */
  inBody: (line: number) => boolean;
}

/** The note as the renderer reads it: its own tree, and every container body (nested ones inside their parents). */
export function readContainers(tree: Root, source: string): ContainerLayer {
  return layerOf(tree, source, { headerLine: 0, firstLine: 0, lastLine: 0, lineShift: 0, indent: 0, toNoteOffset: (offset) => offset, toNotePoint: (line, column) => ({ line, column }) });
}

/** Every layer of a note, the note's own first, then bodies in document order (parents before what they hold). */
export function allLayers(layer: ContainerLayer): ContainerLayer[] {
  const out = [layer];
  for (const body of layer.bodies) out.push(...allLayers(body));
  return out;
}

/** Where a layer's text sits in the note. */
interface Placement {
  /** Note line of the container's marker, and of the body's first and last lines (0 for the note itself). */
  headerLine: number;
  firstLine: number;
  lastLine: number;
  /** Note line = line of `source` + `lineShift`. */
  lineShift: number;
  /** Columns removed from the start of the body (the innermost container's indentation; 0 for the note). */
  indent: number;
  /** An offset into `source` → the note's offset. */
  toNoteOffset: (offset: number) => number;
  /** A (line, column) of `source` → the note's. */
  toNotePoint: (line: number, column: number) => { line: number; column: number };
}

function layerOf(tree: Root, source: string, placement: Placement): ContainerLayer {
  const inCode = codeLines(tree);
  const bodies = findContainers(source, (local) => inCode(local + placement.lineShift)).map((body) => {
    const toNoteOffset = (offset: number): number => placement.toNoteOffset(body.toSourceOffset(offset));
    const toNotePoint = (line: number, column: number): { line: number; column: number } => placement.toNotePoint(line + body.firstLine - 1, column + (body.removed[line - 1] ?? 0));
    const bodyTree = parseMarkdown(body.text);
    visit(bodyTree, (node: Nodes) => {
      const p = node.position;
      if (!p) return;
      p.start = { ...p.start, ...toNotePoint(p.start.line, p.start.column) };
      p.end = { ...p.end, ...toNotePoint(p.end.line, p.end.column) };
    });
    return layerOf(bodyTree, body.text, {
      headerLine: body.headerLine + placement.lineShift,
      firstLine: body.firstLine + placement.lineShift,
      lastLine: body.lastLine + placement.lineShift,
      lineShift: body.firstLine - 1 + placement.lineShift,
      indent: body.indent,
      toNoteOffset,
      toNotePoint,
    });
  });
  return {
    tree,
    source,
    headerLine: placement.headerLine,
    firstLine: placement.firstLine,
    lastLine: placement.lastLine,
    lineShift: placement.lineShift,
    indent: placement.indent,
    toNoteOffset: placement.toNoteOffset,
    bodies,
    inBody: inRanges(bodies.map((b) => [b.firstLine, b.lastLine])),
  };
}

/** A predicate for "this note line is inside a code block of the tree". */
export function codeLines(tree: Root): (line: number) => boolean {
  const ranges: [number, number][] = [];
  visit(tree, 'code', (node: Code) => {
    if (node.position) ranges.push([node.position.start.line, node.position.end.line]);
  });
  return inRanges(ranges);
}

/** A predicate for "the line is in one of these ranges" (in document order, not overlapping): a binary search, so a note's cost stays linear. */
function inRanges(ranges: [number, number][]): (line: number) => boolean {
  if (ranges.length === 0) return () => false;
  return (line) => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ranges[mid]![0] <= line) lo = mid;
      else hi = mid - 1;
    }
    const [a, b] = ranges[lo]!;
    return line >= a && line <= b;
  };
}

function splitQuote(line: string): { prefix: string; content: string; depth: number } {
  const prefix = QUOTE_PREFIX.exec(line)![0];
  let depth = 0;
  for (const c of prefix) if (c === '>') depth++;
  return { prefix, content: line.slice(prefix.length), depth };
}

/** A definition follows its term: a non-blank line, maybe one blank line before the definition. */
function afterTerm(lines: string[], i: number): boolean {
  const blank = (k: number) => k < 0 || lines[k]!.trim() === '' || splitQuote(lines[k]!).content.trim() === '';
  if (!blank(i - 1)) return true;
  return !blank(i - 2);
}

/** Index of the line whose start is the last one at or before `offset`. */
function lineIndexAt(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function width(ws: string): number {
  let w = 0;
  for (const c of ws) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

/** Characters to drop from the start of `line` to remove `columns` columns of indentation. */
function cutIndent(line: string, columns: number): number {
  let w = 0;
  let i = 0;
  while (i < line.length && w < columns && (line[i] === ' ' || line[i] === '\t')) {
    w = line[i] === '\t' ? w + 4 - (w % 4) : w + 1;
    i++;
  }
  return i;
}
