/**
 * The new text of a stale `output` block: the author's lines that still match
 * stay (an ellipsis and what it covers, a line equal up to whitespace, a
 * regular expression that matches, a line found elsewhere in an `unordered`
 * block), the rest becomes what the example printed. The result is checked
 * with the same comparison the tests use; when the kept lines cannot be made
 * to match, the block becomes the printed output as it is.
 */
import { normalizeOutput, outputMatches } from '../run/output-match.ts';
import type { MatchMode } from '../plan/types.ts';
import { alignOrdered, alignUnordered, ellipsisMatches, escapeRegExp, newAddress, type LineRules } from './align.ts';

const squash = (line: string) => line.replace(/\s+/g, ' ').trim();

function rulesFor(modes: readonly MatchMode[]): LineRules {
  const ellipsis = modes.includes('ellipsis');
  const whitespace = modes.includes('normalize-whitespace');
  const regex = modes.includes('regex');
  const prepare = (line: string) => (whitespace ? squash(line) : line);
  const matches = (expected: string, actual: string): boolean => {
    if (regex) {
      try {
        return new RegExp(`^(?:${expected})$`).test(actual);
      } catch {
        return false;
      }
    }
    return ellipsis ? ellipsisMatches(prepare(expected), prepare(actual)) : prepare(expected) === prepare(actual);
  };
  return {
    matches,
    spans: (line) => ellipsis && !regex && line.includes('...'),
    coversSpan: (line, actual) => ellipsisMatches(prepare(line), actual.map(prepare).join('\n')),
    literal: (actual) => (regex ? escapeRegExp(actual) : actual),
  };
}

const lines = (text: string): string[] => {
  const normal = normalizeOutput(text);
  return normal === '' ? [] : normal.split('\n');
};

/**
 * The block's new text (lines joined with `\n`), or why it cannot be written: the printed output
 * cannot be written so that it matches, or it has a memory address (it would differ next run).
 */
export function updatedOutput(expected: string, actual: string, modes: readonly MatchMode[]): { text: string } | { problem: string } {
  const text = updatedOutputText(expected, actual, modes);
  if (text === undefined) return { problem: "the output cannot be written so that it matches in this block's modes; update it by hand" };
  const address = newAddress(text.split('\n'), lines(expected));
  if (address !== undefined) return { problem: `the new output has a memory address, different on every run (\`${address.trim()}\`); write \`...\` in its place and turn on \`ellipsis\`` };
  return { text };
}

export function updatedOutputText(expected: string, actual: string, modes: readonly MatchMode[]): string | undefined {
  const want = lines(expected);
  const got = lines(actual);
  const rules = rulesFor(modes);
  const aligned = modes.includes('unordered') ? alignUnordered(want, got, rules) : alignOrdered(want, got, rules);
  const candidates = [aligned, got.map(rules.literal)];
  for (const candidate of candidates) {
    if (candidate && outputMatches(candidate.join('\n'), actual, modes)) return candidate.join('\n');
  }
  return undefined;
}
