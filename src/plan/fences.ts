/** Where a fence starts, ends and keeps its body, read from the note's source (the tree only gives the node's span). */
import type { Code } from 'mdast';

/** A fence is closed when its last source line is a run of the opening fence character at least as long. */
export function isTerminated(source: string, node: Code): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return true;
  const raw = source.slice(start, end);
  // A fenced block's position starts at its fence; an indented code block's starts with its indentation,
  // and its text may itself begin with backticks (mkdocs-material tabs indent fences by four spaces).
  const opening = /^(`{3,}|~{3,})/.exec(raw);
  if (!opening) return true; // indented code block: no fence to close
  const lines = raw.split(/\r?\n/);
  if (lines.length < 2) return false;
  const last = lines[lines.length - 1]!.replace(/^[ \t>]*/, '').trimEnd();
  const fence = opening[1]!;
  return last.length >= fence.length && [...last].every((c) => c === fence[0]);
}

/** Column offset (0-based, from the fence's column) where the info string's meta starts. */
export function fenceMetaColumn(source: string, node: Code): number {
  const start = node.position?.start.offset ?? 0;
  const firstLine = source.slice(start, source.indexOf('\n', start) === -1 ? undefined : source.indexOf('\n', start));
  const m = /^(\s*(?:`{3,}|~{3,})\s*\S*\s*)/.exec(firstLine);
  return m ? m[1]!.length : 0;
}

/** Offsets of the fence body: after the opening line, up to the start of the closing line. */
export function fenceBody(source: string, node: Code): { bodyStart: number; bodyEnd: number } {
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  const afterOpening = source.indexOf('\n', start);
  const bodyStart = afterOpening === -1 || afterOpening >= end ? end : afterOpening + 1;
  const closingLineStart = source.lastIndexOf('\n', end - 1) + 1;
  const bodyEnd = Math.max(bodyStart, closingLineStart);
  return { bodyStart, bodyEnd };
}
