/**
 * Prompt-by-prompt update of `pycon` and `console` transcripts: for each
 * failing prompt, only the expected-output lines under it change (aligned as
 * in `output` blocks: lines that still match, and ellipses, stay). Prompts,
 * continuation lines and commands are never touched.
 */
import type { ExamplePlan, MatchMode } from '../plan/types.ts';
import type { PromptFailure } from '../run/result.ts';
import { outputMatches as consoleMatches } from '../run/runners/shell/transcript.ts';
import { alignOrdered, ellipsisMatches, escapeRegExp, newAddress, type LineRules } from './align.ts';

/** Replace code lines [start, end) of the example (0-based, in its code) with `lines` (without container prefix). */
export interface LineChange {
  start: number;
  end: number;
  lines: string[];
  /** Note line of the prompt, for messages. */
  line: number;
}

export interface TranscriptProblem {
  line: number;
  message: string;
  /** The prompt could not run (the shell ended before it): the note must not be written. */
  notRun?: boolean;
}

export function transcriptChanges(example: ExamplePlan, prompts: readonly PromptFailure[]): { changes: LineChange[]; problems: TranscriptProblem[] } {
  const code = example.code.replace(/\r\n/g, '\n').split('\n');
  if (code.length > 0 && code[code.length - 1] === '') code.pop();
  const changes: LineChange[] = [];
  const problems: TranscriptProblem[] = [];
  let failedAt: number | undefined;
  const later: number[] = [];
  for (const prompt of [...prompts].sort((a, b) => a.line - b.line)) {
    // After a prompt that failed for real, what later prompts print depends on that failure.
    if (failedAt !== undefined) {
      later.push(prompt.line);
      continue;
    }
    const index = prompt.line - example.codeLine;
    const result = example.runner === 'console' ? consoleChange(code, index, prompt, example.options.modes) : pyconChange(code, index, prompt, example.options.modes);
    const address = 'message' in result ? undefined : newAddress(result.lines, code.slice(result.start, result.end));
    if ('message' in result || address !== undefined) {
      failedAt = prompt.line;
      problems.push({ line: prompt.line, ...('message' in result ? result : { message: `not updated: the new output has a memory address, different on every run (\`${address!.trim()}\`); write \`...\` in its place with ELLIPSIS on` }) });
    } else if (result.lines.length !== result.end - result.start || result.lines.some((l, i) => l !== code[result.start + i])) changes.push({ ...result, line: prompt.line });
  }
  if (later.length > 0) {
    problems.push({ line: later[0]!, message: `not updated: ${later.length === 1 ? 'this prompt follows' : `${later.length} prompts (lines ${later.join(', ')}) follow`} the failure at line ${failedAt}; the output may be a consequence of it` });
  }
  return { changes, problems };
}

// ---------------------------------------------------------------- pycon

const PS1 = /^(\s*)>>>/;
const PS2 = /^\s*\.\.\./;
const TRACEBACK = /^Traceback \((?:most recent call last|innermost last)\):\s*$/;

function pyconChange(code: string[], index: number, prompt: PromptFailure, modes: readonly MatchMode[]): Omit<LineChange, 'line'> | { message: string; notRun?: boolean } {
  const ps1 = PS1.exec(code[index] ?? '');
  if (!ps1) return { message: 'cannot find this prompt in the block; rerun the tests' };
  const indent = ps1[1]!;
  let k = index + 1;
  while (k < code.length && PS2.test(code[k]!)) k++;
  const start = k;
  while (k < code.length && code[k]!.trim() !== '' && !PS1.test(code[k]!)) k++;
  const end = k;
  const old = code.slice(start, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
  const flags = doctestFlags(prompt.source, modes);
  const got = splitKeepingSpaces(prompt.got);
  const traceback = got.findIndex((l) => TRACEBACK.test(l));
  let want: string[];
  if (prompt.exception !== undefined || traceback !== -1) {
    const message = exceptionLines(got, traceback);
    if (!message) return { message: 'the prompt raised, but its exception message cannot be read from the traceback; update it by hand' };
    const oldTraceback = old.length > 0 && TRACEBACK.test(old[0]!);
    // Output the author wrote never becomes a traceback: an import that fails here, a name not
    // defined because of it, is a problem of the code or the machine, not stale text.
    if (!oldTraceback) return { message: `not updated: the prompt raised ${message[message.length - 1]} where the transcript expects no exception; fix the code or the environment` };
    const oldMessage = old.findIndex((l, i) => i > 0 && /^\w/.test(l));
    const stack = oldMessage === -1 ? old : old.slice(0, oldMessage);
    // Only the message of the exception the author expected drifts; another exception is a failure.
    const typeOf = (line: string | undefined) => line?.split(':')[0]!.split('.').pop();
    const expectedType = typeOf(old[oldMessage]);
    const raisedType = typeOf(message[0]);
    if (expectedType !== raisedType) return { message: `not updated: the prompt raised ${message[0]} where the transcript expects ${expectedType ?? 'an exception'}` };
    want = [...stack, ...message];
  } else {
    const aligned = alignOrdered(old, got, pyconRules(flags));
    want = aligned && doctestMatches(aligned, got, flags) ? aligned : got.map((l) => (l.trim() === '' ? '<BLANKLINE>' : l));
    if (!doctestMatches(want, got, flags)) return { message: 'the new output cannot be written so that doctest accepts it; update this prompt by hand' };
  }
  if (want.length > 0 && (PS2.test(want[0]!) || want.some((l) => l.trim() === '' || PS1.test(l)))) {
    return { message: 'the new output would read as a prompt or end the expected output early (a line starting with `...`, `>>>`, or blank); update this prompt by hand' };
  }
  return { start, end, lines: want.map((l) => indent + l) };
}

function doctestFlags(source: string, modes: readonly MatchMode[]): { ellipsis: boolean; whitespace: boolean } {
  const flags = { ellipsis: modes.includes('ellipsis'), whitespace: modes.includes('normalize-whitespace') };
  for (const match of source.matchAll(/#\s*doctest:\s*([^\n]*)/g)) {
    for (const directive of match[1]!.split(/[\s,]+/)) {
      const on = directive.startsWith('+');
      const name = directive.slice(1);
      if (name === 'ELLIPSIS') flags.ellipsis = on;
      if (name === 'NORMALIZE_WHITESPACE') flags.whitespace = on;
    }
  }
  return flags;
}

function pyconRules(flags: { ellipsis: boolean; whitespace: boolean }): LineRules {
  const prepare = (l: string) => (l === '<BLANKLINE>' ? '' : flags.whitespace ? l.replace(/\s+/g, ' ').trim() : l);
  return {
    matches: (e, a) => (flags.ellipsis ? ellipsisMatches(prepare(e), prepare(a)) : prepare(e) === prepare(a)),
    spans: (e) => flags.ellipsis && e.includes('...'),
    coversSpan: (e, a) => ellipsisMatches(prepare(e), a.map(prepare).join('\n')),
    literal: (a) => (a.trim() === '' ? '<BLANKLINE>' : a),
  };
}

/** doctest's OutputChecker.check_output for the flags the update knows. */
function doctestMatches(wantLines: readonly string[], gotLines: readonly string[], flags: { ellipsis: boolean; whitespace: boolean }): boolean {
  let want = wantLines.length ? wantLines.join('\n') + '\n' : '';
  let got = gotLines.length ? gotLines.join('\n') + '\n' : '';
  if (want === got) return true;
  want = want.replace(/^<BLANKLINE>\s*?$/gm, '');
  got = got.replace(/^[^\S\n]+$/gm, '');
  if (want === got) return true;
  if (flags.whitespace && want.split(/\s+/).filter(Boolean).join(' ') === got.split(/\s+/).filter(Boolean).join(' ')) return true;
  if (flags.ellipsis) return ellipsisMatches(flags.whitespace ? want.replace(/\s+/g, ' ') : want, flags.whitespace ? got.replace(/\s+/g, ' ') : got);
  return false;
}

/** What doctest compares for an exception: the lines from the first unindented one after the traceback header. */
function exceptionLines(got: string[], header: number): string[] | undefined {
  if (header === -1) return undefined;
  const first = got.findIndex((l, i) => i > header && /^\w/.test(l));
  if (first === -1) return undefined;
  const lines = got.slice(first);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

function splitKeepingSpaces(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

// ---------------------------------------------------------------- console

const PROMPT = /^\$(?: |$)/;
const CONTINUATION = /^>(?: |$)/;
const EXIT_LINE = /^\[(\d+)\]$/;

function consoleChange(code: string[], index: number, prompt: PromptFailure, modes: readonly MatchMode[]): Omit<LineChange, 'line'> | { message: string; notRun?: boolean } {
  if (!PROMPT.test(code[index] ?? '')) return { message: 'cannot find this command in the block; rerun the tests' };
  if (prompt.exception !== undefined) return { message: `not updated: ${prompt.exception}`, notRun: true };
  let k = index + 1;
  while (k < code.length && CONTINUATION.test(code[k]!)) k++;
  const start = k;
  while (k < code.length && !PROMPT.test(code[k]!)) k++;
  let end = k;
  // Blank lines before the next command are layout, not expected output: they stay.
  while (end > start && code[end - 1]!.trim() === '') end--;
  const old = code.slice(start, end);
  const oldExit = old.length > 0 && EXIT_LINE.test(old[old.length - 1]!.trimEnd()) ? old.pop()! : undefined;
  const expectedExit = oldExit ? Number(EXIT_LINE.exec(oldExit.trimEnd())![1]) : 0;
  const got = splitKeepingSpaces(prompt.got).map((l) => l.trimEnd());
  while (got.length > 0 && got[got.length - 1] === '') got.pop();
  const exit = got.length > 0 ? EXIT_LINE.exec(got[got.length - 1]!) : null;
  if (exit) got.pop();
  const status = exit ? Number(exit[1]) : 0;
  // A command that fails where the author expected success (an install without network, a tool
  // missing here) is a problem of the machine, not stale text: its error output is not written.
  if (status !== 0 && !oldExit) return { message: `not updated: the command exited with status ${status} where the transcript expects success; fix the command or the environment, or write [${status}] under it` };
  const options = { ellipsis: modes.includes('ellipsis'), normalizeWhitespace: modes.includes('normalize-whitespace') };
  const rules = consoleRules(options);
  const aligned = alignOrdered(old.map((l) => l.trimEnd()), got, rules);
  const body = aligned && consoleMatches(aligned, got, options) ? keepBytes(aligned, old) : got.map(rules.literal);
  if (!consoleMatches(body.map((l) => l.trimEnd()), got, options)) return { message: 'the new output cannot be written so that the transcript matches; update this command by hand' };
  const exitLine = status === expectedExit ? oldExit : status !== 0 ? `[${status}]` : undefined;
  const lines = exitLine === undefined ? body : [...body, exitLine];
  if (lines.some((l) => PROMPT.test(l))) return { message: 'the new output has a line starting with `$ `, which would read as a command; update this command by hand' };
  return { start, end, lines };
}

/** Kept lines were compared without trailing spaces; write them back as the author wrote them. */
function keepBytes(aligned: string[], old: string[]): string[] {
  const byTrimmed = new Map<string, string[]>();
  for (const line of old) {
    const key = line.trimEnd();
    if (!byTrimmed.has(key)) byTrimmed.set(key, []);
    byTrimmed.get(key)!.push(line);
  }
  return aligned.map((line) => byTrimmed.get(line)?.shift() ?? line);
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i]!);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += escapeRegExp(c);
  }
  return out;
}

function consoleRules(options: { ellipsis: boolean; normalizeWhitespace: boolean }): LineRules {
  const squash = (l: string) => (options.normalizeWhitespace ? l.replace(/\s+/g, ' ').trim() : l);
  const test = (pattern: string, text: string) => {
    try {
      return new RegExp(`^(?:${pattern})$`).test(text);
    } catch {
      return false;
    }
  };
  return {
    matches: (e, a) => {
      if (e.endsWith(' (re)')) return test(e.slice(0, -5), a);
      if (e.endsWith(' (glob)')) return test(globToRegExp(squash(e.slice(0, -7))), squash(a));
      return options.ellipsis ? ellipsisMatches(squash(e), squash(a)) : squash(e) === squash(a);
    },
    spans: (e) => options.ellipsis && e.includes('...') && !/ \((re|glob)\)$/.test(e),
    coversSpan: (e, a) => ellipsisMatches(squash(e), a.map(squash).join('\n')),
    literal: (a) => (/ \((re|glob)\)$/.test(a) || EXIT_LINE.test(a) ? `${escapeRegExp(a)} (re)` : a),
  };
}
