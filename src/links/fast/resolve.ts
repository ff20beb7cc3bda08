/**
 * Turns fast scans into notes: the blocks a scan handed over are parsed by
 * the shared parser, all blocks of many notes in ONE parse (a parse costs
 * mostly per document), separated by blank lines; each resulting node is
 * moved back to its note's lines and offsets.
 * The note's tree then holds the scan's nodes and the parsed blocks in
 * document order: enough for `summarizeNote`, which treats it like any tree.
 */
import type { Root, RootContent } from 'mdast';
import type { Node as UnistNode } from 'unist';
import { VFile } from 'vfile';
import { noteFromText, parseMarkdown, stripBom, toRelPath, type Note } from '../../markdown/parse.ts';
import { scanBody, type FastScan, type PendingBlock } from '../../markdown/outline/index.ts';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  text: string;
}

/** Blocks are separated by a blank line, as in their notes; the document starts with one, so a first block of `---` is no front matter. */
const SEPARATOR = '\n\n';
const LEAD = '\n';

interface Placed {
  note: number;
  block: PendingBlock;
  /** Offset and line of the block in the joined document. */
  offset: number;
  line: number;
  end: number;
}

export interface FastStats {
  /** Notes the scanner gave up on. */
  gaveUp: number;
  /** Notes parsed whole because a block did not end where the scanner thought (should stay 0). */
  safetyNet: number;
}

/**
 * Notes for many files with as few parses as possible: a note the scanner
 * gives up on is parsed whole (`noteFromText`), the others share one parse of
 * their remaining blocks.
 */
export function fastNotes(files: readonly SourceFile[], root: string, stats?: FastStats): Note[] {
  const scans = files.map((file) => scanBody(stripBom(file.text)));
  const placed: Placed[] = [];
  let joined = '';
  let line = 1;
  scans.forEach((scan, note) => {
    for (const block of scan?.pending ?? []) {
      const separator = joined === '' ? LEAD : SEPARATOR;
      joined += separator;
      line += countNewlines(separator);
      placed.push({ note, block, offset: joined.length, line, end: joined.length + block.source.length });
      joined += block.source;
      line += countNewlines(block.source);
    }
  });
  const children = new Map<number, RootContent[]>();
  const failed = new Set<number>();
  const place = (node: RootContent): void => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined) return;
    const at = findBlock(placed, start);
    if (!at) return;
    if (end > at.end) {
      // Lists on both sides of a blank line merge in the joined document (as they would in the
      // note): place their items, or the items' blocks, one by one.
      if (node.type === 'list' || node.type === 'listItem') {
        for (const child of node.children) place(child);
        return;
      }
      // Anything else spanning blocks means a block did not end where the scanner thought: the
      // notes from there on are parsed whole. The scanner is built so this does not happen.
      for (const later of placed) if (later.offset >= at.offset) failed.add(later.note);
      return;
    }
    shift(node, at.block.offset - at.offset, at.block.line - at.line);
    let list = children.get(at.note);
    if (!list) children.set(at.note, (list = []));
    list.push(node);
  };
  if (placed.length > 0) for (const child of parseMarkdown(joined).children) place(child);
  return files.map((file, index) => {
    const scan = scans[index];
    if (stats && !scan) stats.gaveUp++;
    if (stats && scan && failed.has(index)) stats.safetyNet++;
    if (!scan || failed.has(index)) return noteFromText(file.path, file.text, { root });
    return syntheticNote(file, root, scan, children.get(index) ?? []);
  });
}

function syntheticNote(file: SourceFile, root: string, scan: FastScan, parsed: RootContent[]): Note {
  const bom = file.text.charCodeAt(0) === 0xfeff;
  const body = bom ? file.text.slice(1) : file.text;
  const relPath = toRelPath(root, file.path);
  const children = [...scan.nodes, ...parsed].sort((a, b) => a.position!.start.offset! - b.position!.start.offset!);
  const tree: Root = { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end: endPoint(body) } };
  return { path: file.path, relPath, text: file.text, bom, file: new VFile({ path: relPath, value: body, cwd: root }), tree };
}

function findBlock(placed: readonly Placed[], offset: number): Placed | undefined {
  let low = 0;
  let high = placed.length - 1;
  let found: Placed | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (placed[mid]!.offset <= offset) {
      found = placed[mid];
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

function shift(node: UnistNode, offsetDelta: number, lineDelta: number): void {
  const position = node.position;
  if (position) {
    if (position.start.offset !== undefined) position.start.offset += offsetDelta;
    if (position.end.offset !== undefined) position.end.offset += offsetDelta;
    position.start.line += lineDelta;
    position.end.line += lineDelta;
  }
  const children = (node as { children?: UnistNode[] }).children;
  if (children) for (const child of children) shift(child, offsetDelta, lineDelta);
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function endPoint(body: string): { line: number; column: number; offset: number } {
  const lastNewline = body.lastIndexOf('\n');
  return { line: countNewlines(body) + 1, column: body.length - lastNewline, offset: body.length };
}
