/**
 * A large note parsed in pieces, for memory: micromark keeps every event of a document until its
 * tree is built (about 200 bytes per byte of Markdown: a 5 MB note needed 1.7 GB), so a note
 * above CHUNK_BYTES is cut at top-level headings into pieces of about that size, each parsed on
 * its own, and the trees joined with their positions moved to the note's lines and offsets. The
 * result is the tree of the whole note, or the whole note is parsed at once:
 *
 * - a cut is made only at an ATX heading in column 1 after a blank line, outside fenced code,
 *   HTML blocks that can hold blank lines (comments, `<script>`, ...) and front matter;
 * - each piece is parsed with the heading that follows it, which must come back as a top-level
 *   heading at that line (the same context as in the whole note, and proof that nothing open
 *   before it swallowed it); otherwise the whole note is parsed in one go;
 * - references and footnote calls resolve against the whole note's definitions: the labels of
 *   the definitions found by a line scan are appended to every piece (after that heading, and
 *   dropped with it); when the definitions the pieces really hold differ from those labels (a
 *   label the scan took from code, or one it missed), the pieces are parsed again with the
 *   real ones.
 */
import type { Definition, FootnoteDefinition, Nodes, Root, RootContent } from 'mdast';
import type { Point, Position } from 'unist';

/** Notes up to this size are parsed in one go; larger ones in pieces of about this size. */
export const CHUNK_BYTES = 64 * 1024;

type Parse = (text: string) => Root;

interface Piece {
  /** Offset and line (1-based) of the piece's first character in the note. */
  offset: number;
  line: number;
  /** Text of the piece, without the heading that follows it. */
  text: string;
  /** The line that follows the piece (the next piece's heading), or '' for the last. */
  next: string;
}

const ATX = /^#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** HTML blocks of kinds 1 to 5: they end at a marker, not at a blank line. */
const HTML_BLOCKS: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[ \t>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];
/** A line that may hold a definition (`[label]: ...`, `[^label]: ...`), also inside quotes and list items. */
const DEFINITION = /^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*\[(\^?)((?:[^\[\]\\\n]|\\.)+)\]:/;

/** How a text was parsed (for the tests and the bench): whole, or in N pieces after `attempts` label sets. */
export type PieceOutcome = { how: 'whole'; why: 'small' | 'no cut' | 'wrong cut' | 'labels' } | { how: 'pieces'; pieces: number; attempts: number };

export interface PieceOptions {
  chunkBytes?: number;
  outcome?: (outcome: PieceOutcome) => void;
}

/** The tree of `text` as `parse` would give it for the whole text, built from pieces when it is large. */
export function parseInPieces(text: string, parse: Parse, options: PieceOptions = {}): Root {
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const whole = (why: 'small' | 'no cut' | 'wrong cut' | 'labels'): Root => {
    options.outcome?.({ how: 'whole', why });
    return parse(text);
  };
  if (text.length <= chunkBytes) return whole('small');
  const scan = scanText(text, chunkBytes);
  if (scan.pieces.length < 2) return whole('no cut');
  let labels = scan.labels;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = parsePieces(scan.pieces, labels, parse);
    if (!result) return whole('wrong cut');
    if (sameLabels(result.defined, labels)) {
      options.outcome?.({ how: 'pieces', pieces: scan.pieces.length, attempts: attempt });
      return join(result.trees, text);
    }
    labels = result.defined;
  }
  return whole('labels');
}

interface Labels {
  definitions: Set<string>;
  footnotes: Set<string>;
}

function sameLabels(a: Labels, b: Labels): boolean {
  const same = (x: Set<string>, y: Set<string>) => x.size === y.size && [...x].every((v) => y.has(v));
  return same(a.definitions, b.definitions) && same(a.footnotes, b.footnotes);
}

/** micromark's normalization of a label: whitespace collapsed, case folded. */
function normalize(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').trim().toLowerCase().toUpperCase();
}

/** Where the note may be cut, and the definition labels a line scan finds. */
function scanText(text: string, chunkBytes: number): { pieces: Piece[]; labels: Labels } {
  const pieces: Piece[] = [];
  const labels: Labels = { definitions: new Set(), footnotes: new Set() };
  let fence: { char: string; length: number } | undefined;
  let html: RegExp | undefined;
  let previousBlank = true;
  let pieceStart = 0;
  let pieceLine = 1;
  let line = 1;
  let start = 0;
  // Front matter is never cut (it can only open the note).
  if (/^(?:---|\+\+\+)[ \t]*(?:\r\n|\r|\n)/.test(text)) html = /^(?:---|\+\+\+|\.\.\.)[ \t]*$/;
  let first = true;
  while (start < text.length) {
    let end = start;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    const content = text.slice(start, end);
    const blank = /^[ \t]*$/.test(content);
    if (fence) {
      const close = FENCE.exec(content);
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && /^[`~]*[ \t]*$/.test(content.trimStart())) fence = undefined;
    } else if (html) {
      if (html.test(first ? '' : content)) html = undefined;
    } else {
      if (ATX.test(content) && previousBlank && start - pieceStart >= chunkBytes) {
        pieces.push({ offset: pieceStart, line: pieceLine, text: text.slice(pieceStart, start), next: content });
        pieceStart = start;
        pieceLine = line;
      }
      const open = FENCE.exec(content);
      if (open && !(open[1]![0] === '`' && content.slice(open[0].length).includes('`'))) fence = { char: open[1]![0]!, length: open[1]!.length };
      else {
        const block = HTML_BLOCKS.find(([opens]) => opens.test(content));
        // A block that ends on its first line is over already.
        if (block && !block[1].test(content.replace(block[0], ''))) html = block[1];
      }
    }
    if (!fence && !html) {
      const definition = DEFINITION.exec(content);
      if (definition) (definition[1] ? labels.footnotes : labels.definitions).add(normalize(definition[2]!.replace(/\\(.)/g, '$1')));
    }
    first = false;
    previousBlank = blank;
    start = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    line++;
  }
  pieces.push({ offset: pieceStart, line: pieceLine, text: text.slice(pieceStart), next: '' });
  return { pieces, labels };
}

/**
 * Each piece parsed in the context it has in the note, with the labels defined; undefined when a
 * cut proves wrong. The first piece gets the labels after the heading that follows it (front
 * matter must open the text); every other piece starts with a heading and gets them before it.
 */
function parsePieces(pieces: Piece[], labels: Labels, parse: Parse): { trees: { tree: Root; piece: Piece; lines: number; offset: number }[]; defined: Labels } | undefined {
  const defined: Labels = { definitions: new Set(), footnotes: new Set() };
  const escape = (label: string) => label.replace(/[\\[\]]/g, '\\$&');
  const definitions = [...[...labels.definitions].map((l) => `[${escape(l)}]: #`), ...[...labels.footnotes].map((l) => `[^${escape(l)}]: x`)];
  const trees: { tree: Root; piece: Piece; lines: number; offset: number }[] = [];
  pieces.forEach((piece, index) => {
    if (!trees) return;
    const prefix = index > 0 && definitions.length > 0 ? `${definitions.join('\n')}\n\n` : '';
    const suffix = index === 0 ? `${piece.next}\n${definitions.length > 0 ? `\n${definitions.join('\n')}\n` : ''}` : piece.next ? `${piece.next}\n` : '';
    const from = prefix.length;
    const to = from + piece.text.length;
    const tree = parse(`${prefix}${piece.text}${suffix}`);
    const kept = tree.children.filter((node) => (node.position?.start.offset ?? 0) >= from && (node.position?.start.offset ?? 0) < to);
    const after = tree.children.find((node) => (node.position?.start.offset ?? 0) >= to);
    // Anything of the piece reaching past its end, or a next heading that did not come back as
    // one at its line, means the cut was not at a real boundary.
    const wrong = kept.some((node) => (node.position?.end.offset ?? 0) > to) || (piece.next !== '' && (after?.type !== 'heading' || after.position?.start.offset !== to));
    if (wrong) {
      trees.length = 0;
      return;
    }
    tree.children = kept;
    collectDefinitions(tree, defined);
    trees.push({ tree, piece, lines: piece.line - 1 - (prefix.match(/\n/g)?.length ?? 0), offset: piece.offset - from });
  });
  return trees.length === pieces.length ? { trees, defined } : undefined;
}

function collectDefinitions(node: Nodes, into: Labels): void {
  if (node.type === 'definition') into.definitions.add(normalize((node as Definition).label ?? (node as Definition).identifier));
  if (node.type === 'footnoteDefinition') into.footnotes.add(normalize((node as FootnoteDefinition).label ?? (node as FootnoteDefinition).identifier));
  if ('children' in node) for (const child of node.children as Nodes[]) collectDefinitions(child, into);
}

/** One root: every piece's nodes, positions moved to the note's. */
function join(trees: { tree: Root; lines: number; offset: number }[], text: string): Root {
  const children: RootContent[] = [];
  for (const { tree, lines, offset } of trees) {
    for (const node of tree.children) {
      if (lines !== 0 || offset !== 0) shift(node, lines, offset);
      children.push(node);
    }
  }
  return { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: endOf(text) } };
}

function endOf(text: string): Point {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: text.length - lineStart + 1, offset: text.length };
}

/** Move every position of a piece's nodes by the piece's place in the note (in place: a large note has many). */
function shift(root: Nodes, lines: number, offset: number): void {
  const moved = new Set<Point>();
  const move = (point: Point): void => {
    if (moved.has(point)) return; // a point object two positions share moves once
    moved.add(point);
    point.line += lines;
    if (point.offset !== undefined) point.offset += offset;
  };
  const stack: Nodes[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const position = node.position as Position | undefined;
    if (position) {
      move(position.start);
      move(position.end);
    }
    if ('children' in node) for (const child of node.children as Nodes[]) stack.push(child);
  }
}
