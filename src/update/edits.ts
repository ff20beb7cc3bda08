/**
 * In-place update of fence bodies. Edits are located by the plan's AST offsets
 * (never by searching the text), replace only the body between the fences,
 * and keep every other byte: line endings, BOM, the container prefix of each
 * line (list indentation, `> ` of blockquotes).
 */
import type { ExamplePlan } from '../plan/types.ts';
import type { LineChange } from './transcript.ts';

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
    const target = update.kind === 'output' ? update.example.outputs[update.outputIndex ?? 0] : update.example;
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

/**
 * Edits for changed lines of an example's own body (transcript prompts): each
 * change replaces whole note lines, written with the container prefix of its
 * prompt's line; every other line of the block keeps its bytes.
 */
export function lineEdits(text: string, example: ExamplePlan, changes: readonly LineChange[]): { edits: Edit[]; problems: EditProblem[] } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const noteLine = (line: number) => text.slice(starts[line - 1], lineEnd(text, starts[line - 1] ?? text.length));
  const code = example.code.replace(/\r\n/g, '\n').split('\n');
  const edits: Edit[] = [];
  const problems: EditProblem[] = [];
  for (const change of changes) {
    const promptText = noteLine(change.line);
    const promptCode = code[change.line - example.codeLine] ?? '';
    if (!promptText.endsWith(promptCode)) {
      problems.push({ line: change.line, message: 'cannot find this prompt in the note; rerun the tests' });
      continue;
    }
    const prefix = promptText.slice(0, promptText.length - promptCode.length);
    if (change.lines.some((l) => /^\s*(`{3,}|~{3,})/.test(l))) {
      problems.push({ line: change.line, message: 'the new output has a line that would close the fence; update this prompt by hand' });
      continue;
    }
    const first = example.codeLine + change.start;
    const start = starts[first - 1];
    const end = starts[example.codeLine + change.end - 1];
    if (start === undefined || end === undefined || start < example.bodyStart || end > example.bodyEnd) {
      problems.push({ line: change.line, message: 'the output of this prompt is not inside the block; rerun the tests' });
      continue;
    }
    const replacement = change.lines.map((l) => (l === '' ? prefix.trimEnd() : prefix + l) + eol).join('');
    if (text.slice(start, end) !== replacement) edits.push({ start, end, replacement, line: change.line });
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
