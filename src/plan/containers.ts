/**
 * mkdocs containers: admonitions (`!!! note`), collapsible blocks (`??? tip`,
 * `???+ example`) and content tabs (`=== "Tab"`). Their body is indented by
 * four spaces, which CommonMark reads as an indented code block (or paragraph
 * continuation), so the fences inside would never be seen. Python-Markdown
 * (and pytest-examples) dedent the body and read it as Markdown again; so do we:
 * each body is parsed on its own and its nodes are moved back to their lines
 * and columns in the note. Offsets stay relative to the dedented body (the walk
 * reads fences from it); `toNoteOffset` maps the ones the plan keeps.
 */
import type { Code, Nodes, Root } from 'mdast';
import { parseMarkdown } from '../markdown/parse.ts';
import { visit } from 'unist-util-visit';

const CONTAINER_LINE = /^([ \t]*)(!!!|\?\?\?\+?|===)[ \t]/;

export interface ContainerBody {
  /** 1-based note line of the container's marker (`!!! note`). */
  headerLine: number;
  /** 1-based note lines of the body (first and last non-blank line). */
  firstLine: number;
  lastLine: number;
  /** The body with its indentation removed, one line per note line. */
  text: string;
  /** Columns removed from each body line (what the renderer strips). */
  indent: number;
  /** A dedented-body offset → the note offset; a line start maps to the note line's start (its indentation included). */
  toNoteOffset: (offset: number) => number;
}

/**
 * The container bodies of `source` (not nested ones: those are found when a body is read).
 * `inCode(line)` says whether a note line belongs to a code block of the tree
 * (an admonition written inside a ```markdown example is not a container).
 */
export function findContainers(source: string, inCode: (line: number) => boolean): ContainerBody[] {
  const lines = source.split('\n');
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length + 1;
  }
  const found: ContainerBody[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = CONTAINER_LINE.exec(lines[i]!);
    if (!m || inCode(i + 1)) continue;
    const headerIndent = width(m[1]!);
    let last = -1;
    let indent = Infinity;
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j]!.replace(/\r$/, '');
      if (l.trim() === '') continue;
      const w = width(/^[ \t]*/.exec(l)![0]);
      if (w <= headerIndent) break;
      last = j;
      indent = Math.min(indent, w);
    }
    if (last === -1) continue;
    const first = i + 1;
    const removed: number[] = [];
    const bodyLines: string[] = [];
    for (let j = first; j <= last; j++) {
      const cut = cutIndent(lines[j]!, indent);
      removed.push(cut);
      bodyLines.push(lines[j]!.slice(cut));
    }
    const dedentedStarts: number[] = [];
    let d = 0;
    for (const l of bodyLines) {
      dedentedStarts.push(d);
      d += l.length + 1;
    }
    const toNoteOffset = (offset: number): number => {
      let k = dedentedStarts.length - 1;
      while (k > 0 && dedentedStarts[k]! > offset) k--;
      const within = offset - dedentedStarts[k]!;
      if (within === 0) return starts[first + k]!;
      if (k === bodyLines.length - 1 && within > bodyLines[k]!.length) return starts[first + k]! + removed[k]! + bodyLines[k]!.length + 1;
      return starts[first + k]! + removed[k]! + within;
    };
    found.push({ headerLine: i + 1, firstLine: first + 1, lastLine: last + 1, text: bodyLines.join('\n'), indent, toNoteOffset });
    i = last;
  }
  return found;
}

/** Parse a container body and move its nodes to their note lines and columns. */
export function parseBody(body: ContainerBody, origin: { line: number; column: number }): Root {
  const tree = parseMarkdown(body.text);
  const lineShift = body.firstLine - 1 + origin.line;
  const columnShift = body.indent + origin.column;
  visit(tree, (node: Nodes) => {
    const p = node.position;
    if (!p) return;
    p.start = { ...p.start, line: p.start.line + lineShift, column: p.start.column + columnShift };
    p.end = { ...p.end, line: p.end.line + lineShift, column: p.end.column + columnShift };
  });
  return tree;
}

/** A predicate for "this note line is inside a code block of the tree". */
export function codeLines(tree: Root): (line: number) => boolean {
  const ranges: [number, number][] = [];
  visit(tree, 'code', (node: Code) => {
    if (node.position) ranges.push([node.position.start.line, node.position.end.line]);
  });
  return (line) => ranges.some(([a, b]) => line >= a && line <= b);
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
