/**
 * Console transcripts, cram style: `$ ` starts a command, `> ` continues it,
 * and the lines up to the next `$ ` are its expected output. A last expected
 * line `[N]` asserts exit status N (otherwise 0 is expected); an expected line
 * ending in ` (re)` is a regular expression for the whole line, ` (glob)` a
 * glob (`*`, `?`), and with the `ellipsis` flag `...` matches any text (also
 * across lines). Trailing whitespace and trailing empty lines never count.
 */

export interface Command {
  /** Note line of the `$ ` prompt. */
  line: number;
  /** The prompt and continuation lines, as written. */
  source: string;
  /** The command text without `$ ` / `> `. */
  lines: string[];
  /** Expected output lines, without a final `[N]`. */
  expected: string[];
  expectedExit: number;
  /** Whether a final `[N]` line was written. */
  exitWritten: boolean;
}

const PROMPT = /^\$(?: |$)/;
const CONTINUATION = /^>(?: |$)/;
const EXIT_LINE = /^\[(\d+)\]$/;

/** Parse a transcript whose first line is note line `firstLine`. */
export function parseTranscript(code: string, firstLine: number): Command[] {
  const lines = code.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const commands: Command[] = [];
  let current: Command | undefined;
  let continuing = false;
  lines.forEach((text, i) => {
    if (PROMPT.test(text)) {
      current = { line: firstLine + i, source: text, lines: [text.slice(2)], expected: [], expectedExit: 0, exitWritten: false };
      commands.push(current);
      continuing = true;
      return;
    }
    if (!current) return; // prose before the first prompt is ignored
    if (continuing && CONTINUATION.test(text)) {
      current.lines.push(text.slice(2));
      current.source += `\n${text}`;
      return;
    }
    continuing = false;
    current.expected.push(text);
  });
  for (const command of commands) {
    const expected = trimLines(command.expected);
    const last = expected[expected.length - 1];
    const exit = last === undefined ? null : EXIT_LINE.exec(last);
    if (exit) {
      command.expectedExit = Number(exit[1]);
      command.exitWritten = true;
      expected.pop();
    }
    command.expected = trimLines(expected);
  }
  return commands;
}

/** Without trailing whitespace on each line and without trailing empty lines. */
export function trimLines(lines: string[]): string[] {
  const out = lines.map((l) => l.replace(/\s+$/, ''));
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

export function splitOutput(text: string): string[] {
  return text === '' ? [] : trimLines(text.replace(/\r\n/g, '\n').split('\n'));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '\\' && i + 1 < glob.length) out += escapeRegExp(glob[++i] as string);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += escapeRegExp(c);
  }
  return out;
}

export interface MatchOptions {
  ellipsis: boolean;
  normalizeWhitespace: boolean;
}

/** Does the actual output (lines) match the expected lines? */
export function outputMatches(expected: string[], actual: string[], options: MatchOptions): boolean {
  const squash = (l: string) => (options.normalizeWhitespace ? l.replace(/\s+/g, ' ').trim() : l);
  const got = actual.map(squash);
  const special = expected.some((l) => / \((re|glob)\)$/.test(l)) || (options.ellipsis && expected.some((l) => l.includes('...')));
  if (!special) return expected.length === got.length && expected.every((l, i) => squash(l) === got[i]);
  const parts = expected.map((l) => {
    if (l.endsWith(' (re)')) return `(?:${l.slice(0, -5)})`;
    if (l.endsWith(' (glob)')) return globToRegExp(squash(l.slice(0, -7)));
    const literal = squash(l);
    return options.ellipsis ? literal.split('...').map(escapeRegExp).join('[\\s\\S]*') : escapeRegExp(literal);
  });
  try {
    return new RegExp(`^${parts.join('\\n')}$`).test(got.join('\n'));
  } catch {
    return false; // an invalid (re) line matches nothing
  }
}
