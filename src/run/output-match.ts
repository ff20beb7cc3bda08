/**
 * Compare actual output with an expected `output` block.
 * Trailing whitespace at line ends and at the end is always ignored; the rest
 * is exact unless the author opts into a mode:
 *   ellipsis              `...` matches any text (also across lines), as in doctest
 *   normalize-whitespace  runs of whitespace compare equal
 *   unordered             the same lines in any order (concurrent output)
 *   regex                 each expected line is a regular expression for the whole actual line
 * Modes combine: `unordered` with `regex` or `ellipsis` matches line against line.
 */
// The one module of the package it needs: the whole of 'diff' costs each fresh test worker ~10 ms to load.
import { createTwoFilesPatch } from 'diff/lib/patch/create.js';
import type { MatchMode } from '../plan/types.ts';

export function normalizeOutput(text: string): string {
  return text.replace(/\r\n/g, '\n').split('\n').map((l) => l.replace(/\s+$/, '')).join('\n').replace(/\n+$/, '');
}

export function outputMatches(expectedRaw: string, actualRaw: string, modes: readonly MatchMode[]): boolean {
  let expected = normalizeOutput(expectedRaw);
  let actual = normalizeOutput(actualRaw);
  if (modes.includes('normalize-whitespace')) {
    expected = expected.replace(/\s+/g, ' ').trim();
    actual = actual.replace(/\s+/g, ' ').trim();
    if (!modes.includes('unordered') && !modes.includes('regex')) return textMatches(expected, actual, modes);
  }
  if (modes.includes('unordered')) {
    const want = splitLines(expected);
    const got = splitLines(actual);
    if (want.length !== got.length) return false;
    // Bipartite match: a line pattern may fit several lines (ellipsis, regex), so greedy pairing is not enough.
    return perfectMatching(want, got, (w, g) => lineMatches(w, g, modes));
  }
  if (modes.includes('regex')) {
    const want = splitLines(expected);
    const got = splitLines(actual);
    return want.length === got.length && want.every((w, i) => lineMatches(w, got[i]!, modes));
  }
  return textMatches(expected, actual, modes);
}

function splitLines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

function textMatches(expected: string, actual: string, modes: readonly MatchMode[]): boolean {
  if (modes.includes('ellipsis') && expected.includes('...')) return ellipsisRegExp(expected).test(actual);
  return expected === actual;
}

function lineMatches(expected: string, actual: string, modes: readonly MatchMode[]): boolean {
  if (modes.includes('regex')) {
    try {
      return new RegExp(`^(?:${expected})$`).test(actual);
    } catch {
      return false;
    }
  }
  return textMatches(expected, actual, modes);
}

function ellipsisRegExp(expected: string): RegExp {
  const parts = expected.split('...').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*')}$`);
}

/** Kuhn's algorithm: is there a pairing of every expected line with its own actual line? */
function perfectMatching(want: string[], got: string[], fits: (w: string, g: string) => boolean): boolean {
  const owner = new Array<number>(got.length).fill(-1);
  const edges = want.map((w) => got.map((g, j) => (fits(w, g) ? j : -1)).filter((j) => j >= 0));
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (const j of edges[i]!) {
      if (seen[j]) continue;
      seen[j] = true;
      if (owner[j] === -1 || tryAssign(owner[j]!, seen)) {
        owner[j] = i;
        return true;
      }
    }
    return false;
  };
  return want.every((_, i) => tryAssign(i, new Array<boolean>(got.length).fill(false)));
}

/** A unified diff of expected vs actual output, after the same normalisation as the comparison. */
export function outputDiff(expected: string, actual: string, label = 'output'): string {
  const patch = createTwoFilesPatch(`expected ${label}`, `actual ${label}`, normalizeOutput(expected) + '\n', normalizeOutput(actual) + '\n', '', '', { context: 3 });
  return patch.split('\n').filter((l) => !/^=+$/.test(l)).map((l) => (l.startsWith('---') || l.startsWith('+++') ? l.trimEnd() : l)).join('\n').trimEnd();
}
