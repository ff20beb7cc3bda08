/**
 * In-place update of fence bodies. Edits are located by the plan's AST offsets
 * (never by searching the text), replace only the body between the fences,
 * and keep every other byte: line endings, BOM, the container prefix of each
 * line (list indentation, `> ` of blockquotes).
 */
import type { ExamplePlan } from '../plan/types.ts';

export interface BodyUpdate {
  example: ExamplePlan;
  kind: 'output' | 'include';
  /** The new content (output or included text), without prefixes. */
  text: string;
  /** For `output`: which alternative block to rewrite. */
  outputIndex?: number;
}

export interface Edit {
  start: number;
  end: number;
  replacement: string;
  line: number;
}

export interface EditProblem {
  line: number;
  message: string;
}

/** `text` is the note without its BOM (plan offsets are into that text). */
export function planEdits(text: string, updates: BodyUpdate[]): { edits: Edit[]; problems: EditProblem[] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: Edit[] = [];
  const problems: EditProblem[] = [];
  for (const update of updates) {
    const target = update.kind === 'include' ? update.example : update.example.outputs[update.outputIndex ?? 0];
    if (!target) {
      problems.push({ line: update.example.line, message: 'the output block to update is gone; rerun the tests' });
      continue;
    }
    const { bodyStart, bodyEnd } = target;
    const closingLineStart = bodyEnd;
    const closingLineEnd = lineEnd(text, closingLineStart);
    const closing = text.slice(closingLineStart, closingLineEnd);
    const fence = /^([ \t>]*)(`{3,}|~{3,})\s*$/.exec(closing);
    if (!fence) {
      problems.push({ line: target.line, message: 'cannot find the closing fence of this block; fix the fence by hand' });
      continue;
    }
    const prefix = fence[1]!;
    const lines = normalize(update.text);
    const marker = fence[2]!;
    if (lines.some((l) => l.trimStart().startsWith(marker[0]!.repeat(3)) && l.trim().length >= marker.length && /^(`+|~+)/.exec(l.trimStart())![0].length >= marker.length)) {
      problems.push({ line: target.line, message: `the new content contains a line that would close the ${marker} fence; lengthen the fence by hand` });
      continue;
    }
    const replacement = lines.map((l) => (l === '' ? prefix.trimEnd() : prefix + l) + eol).join('');
    if (text.slice(bodyStart, bodyEnd) !== replacement) edits.push({ start: bodyStart, end: bodyEnd, replacement, line: target.line });
  }
  edits.sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) {
    if (edits[i]!.start < edits[i - 1]!.end) problems.push({ line: edits[i]!.line, message: 'two updates overlap; update this note in two runs' });
  }
  return { edits, problems };
}

export function applyEdits(text: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Trailing whitespace is never significant in output comparisons; the stored form has none. */
function normalize(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n').map((l) => l.replace(/\s+$/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function lineEnd(text: string, from: number): number {
  const n = text.indexOf('\n', from);
  if (n === -1) return text.length;
  return text[n - 1] === '\r' ? n - 1 : n;
}
