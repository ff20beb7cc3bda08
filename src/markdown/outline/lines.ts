/**
 * Lines as CommonMark (and so micromark, and so every editor's line numbers)
 * counts them: a line ends at LF, CR LF or a lone CR. U+2028, U+2029, form
 * feeds and NUL are ordinary characters in Markdown, not line breaks, so
 * they stay inside a line (regexes over a line must not use `.` or `m`:
 * JavaScript's `.` and `^`/`$` stop at U+2028).
 */
import { MAX_NESTING } from '../nesting.ts';

export interface Line {
  /** The line without its line ending. */
  text: string;
  /** Offset of its first character in the body. */
  start: number;
  /** Offset just past its last character (before the line ending). */
  end: number;
  /** 1-based line number. */
  number: number;
}

/** Every line of `body`; a body ending in a line break has a last, empty line (as micromark counts). */
export function splitLines(body: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let number = 1; ; number++) {
    let end = start;
    while (end < body.length) {
      const code = body.charCodeAt(end);
      if (code === 10 || code === 13) break;
      end++;
    }
    lines.push({ text: body.slice(start, end), start, end, number });
    if (end === body.length) return lines;
    start = end + (body.charCodeAt(end) === 13 && body.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}

/**
 * Whether a line may sit MAX_NESTING / 2 levels deep or more: counted from its
 * container markers and its indentation (each level needs a marker or at
 * least two columns). An over-estimate: the scanners give up on such lines
 * and leave them to the full parse, which applies the nesting limit exactly.
 */
export function mayNestDeep(text: string): boolean {
  const half = MAX_NESTING / 2;
  if (text.length < half) return false;
  let levels = 0;
  let columns = 0;
  for (let i = 0; i < text.length && levels + columns / 2 < half; i++) {
    const char = text[i];
    if (char === ' ') columns++;
    else if (char === '\t') columns += 4;
    else if (char === '>' || char === '-' || char === '+' || char === '*' || char === '.' || char === ')') levels++;
    else if (!(char! >= '0' && char! <= '9')) return false;
  }
  return levels + columns / 2 >= half;
}
