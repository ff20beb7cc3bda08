/**
 * Why expected output that looks right still differs, when the reason is a
 * matching rule rather than the code: blank lines doctest cannot see, `...`
 * without `ellipsis`, whitespace, line order, the order of a dict or set repr.
 * Each hint names what fixes it.
 */
import type { MatchMode } from '../plan/types.ts';
import { normalizeOutput, outputMatches } from './output-match.ts';

export type HintContext = 'output' | 'doctest';

export function mismatchHints(expectedRaw: string, actualRaw: string, modes: readonly MatchMode[], context: HintContext): string[] {
  const expected = normalizeOutput(expectedRaw);
  const actual = normalizeOutput(actualRaw);
  const hints: string[] = [];
  const where = context === 'doctest' ? 'on the fence (or `# doctest: +ELLIPSIS` on the prompt)' : 'on the `output` block';
  if (context === 'doctest' && /\n[ \t]*\n/.test(actual) && !/\n[ \t]*\n/.test(expected)) {
    hints.push('hint: the output has blank lines, and doctest ends the expected output at the first blank line; write each blank line as `<BLANKLINE>`');
  }
  const onlyBlankLines = dropBlankLines(expected) === dropBlankLines(actual) && expected !== actual;
  if (context === 'output' && onlyBlankLines) {
    hints.push('hint: the outputs differ only in blank lines; fix the blank lines of the `output` block, or add `normalize-whitespace`');
  }
  if (!modes.includes('ellipsis') && expected.includes('...') && outputMatches(expected, actual, [...modes, 'ellipsis'])) {
    hints.push(`hint: the expected output has \`...\` and would match with \`ellipsis\`; add \`ellipsis\` ${where}`);
  }
  if (!onlyBlankLines && !modes.includes('normalize-whitespace') && outputMatches(expected, actual, [...modes, 'normalize-whitespace'])) {
    const which = context === 'doctest' ? 'on the fence (or `# doctest: +NORMALIZE_WHITESPACE` on the prompt)' : where;
    hints.push(`hint: the outputs differ only in whitespace; add \`normalize-whitespace\` ${which}`);
  }
  if (context === 'output' && !modes.includes('unordered') && expected.includes('\n') && outputMatches(expected, actual, [...modes, 'unordered'])) {
    hints.push('hint: the same lines in another order; if the order is not deterministic (threads, tasks), add `unordered` on the `output` block');
  }
  const reordered = reorderedRepr(expected, actual);
  if (reordered) hints.push(`hint: ${reordered}`);
  return hints;
}

function dropBlankLines(text: string): string {
  return text.split('\n').filter((l) => l.trim() !== '').join('\n');
}

/** A dict or set repr (one per line) with the same items in another order. */
function reorderedRepr(expected: string, actual: string): string | undefined {
  const want = expected.split('\n');
  const got = actual.split('\n');
  if (want.length !== got.length) return undefined;
  let found: 'dict' | 'set' | undefined;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === got[i]) continue;
    const a = reprItems(want[i]!);
    const b = reprItems(got[i]!);
    if (!a || !b || a.kind !== b.kind || a.items.length !== b.items.length) return undefined;
    if ([...a.items].sort().join('\u0000') !== [...b.items].sort().join('\u0000')) return undefined;
    found = a.kind;
  }
  if (!found) return undefined;
  return found === 'set'
    ? 'the same set items in another order: a set\'s order depends on hashing, so it is not stable; print `sorted(...)` instead'
    : 'the same dict items in another order: a dict keeps insertion order, so the code inserts them differently from what the note shows; update the expected output (`kb update`) or print `sorted(d.items())`';
}

/** The top-level items of a `{...}` repr (possibly inside `name(...)`, e.g. `frozenset({...})`), or undefined. */
export function reprItems(line: string): { kind: 'dict' | 'set'; items: string[] } | undefined {
  const m = /^(?:[\w.]+\()?\{(.*)\}\)?$/.exec(line.trim());
  if (!m) return undefined;
  const body = m[1]!;
  const commas = topLevel(body, ',');
  if (!commas) return undefined;
  const items: string[] = [];
  let start = 0;
  for (const i of commas) {
    items.push(body.slice(start, i).trim());
    start = i + 1;
  }
  const last = body.slice(start).trim();
  if (last) items.push(last);
  if (items.length < 2) return undefined;
  const dictItems = items.filter((item) => topLevelColon(item));
  if (dictItems.length !== 0 && dictItems.length !== items.length) return undefined;
  return { kind: dictItems.length ? 'dict' : 'set', items };
}

function topLevelColon(item: string): boolean {
  return (topLevel(item, ':')?.length ?? 0) > 0;
}

/** Offsets of `separator` outside quotes and brackets; undefined when the brackets or quotes do not balance. */
function topLevel(text: string, separator: string): number[] | undefined {
  const at: number[] = [];
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === separator && depth === 0) at.push(i);
    if (depth < 0) return undefined;
  }
  return quote || depth !== 0 ? undefined : at;
}
