/**
 * Explains a stale TOC entry by entry: the existing entries are aligned with
 * the expected ones on their anchors (longest common subsequence); what is
 * left between two aligned entries is a wrong entry (a rename: similar
 * anchors, or one left on each side), an extra entry or a missing one.
 */
import { distance } from 'fastest-levenshtein';
import type { Point } from 'unist';
import type { HeadingAnchor } from '../markdown/slug.ts';
import type { ExistingEntry } from './entries.ts';
import type { Problem } from './markers.ts';
import type { TocOptions } from './options.ts';
import type { TocEntry } from './render.ts';

type Step = { existing: ExistingEntry; expected: TocEntry } | { existing: ExistingEntry; expected?: undefined } | { existing?: undefined; expected: TocEntry };

/** Pairs of indices of the longest common subsequence of anchors. */
function alignByAnchor(existing: readonly ExistingEntry[], expected: readonly TocEntry[]): Array<[number, number]> {
  const n = existing.length;
  const m = expected.length;
  const table: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = table[i] as Uint32Array;
    const below = table[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = existing[i]?.anchor === expected[j]?.slug ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (existing[i]?.anchor === expected[j]?.slug) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if ((table[i + 1]?.[j] ?? 0) >= (table[i]?.[j + 1] ?? 0)) i++;
    else j++;
  }
  return pairs;
}

function similar(entry: ExistingEntry, target: TocEntry): boolean {
  const a = (entry.anchor ?? entry.text).toLowerCase();
  const b = target.slug;
  return distance(a, b) <= Math.max(2, Math.floor(0.4 * Math.max(a.length, b.length)));
}

/** Pair up the unaligned entries between two aligned ones. */
function pairGap(existing: ExistingEntry[], expected: TocEntry[]): Step[] {
  if (existing.length === 1 && expected.length === 1) return [{ existing: existing[0] as ExistingEntry, expected: expected[0] as TocEntry }];
  const steps: Step[] = [];
  let next = 0;
  for (const entry of existing) {
    const found = expected.findIndex((target, index) => index >= next && similar(entry, target));
    if (found === -1) {
      steps.push({ existing: entry });
      continue;
    }
    for (const skipped of expected.slice(next, found)) steps.push({ expected: skipped });
    steps.push({ existing: entry, expected: expected[found] as TocEntry });
    next = found + 1;
  }
  for (const skipped of expected.slice(next)) steps.push({ expected: skipped });
  return steps;
}

export function alignEntries(existing: readonly ExistingEntry[], expected: readonly TocEntry[]): Step[] {
  const steps: Step[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...alignByAnchor(existing, expected), [existing.length, expected.length] as [number, number]]) {
    steps.push(...pairGap(existing.slice(i, pi), expected.slice(j, pj)));
    const a = existing[pi];
    const b = expected[pj];
    if (a && b) steps.push({ existing: a, expected: b });
    i = pi + 1;
    j = pj + 1;
  }
  return steps;
}

const quote = (text: string): string => JSON.stringify(text);

export function explainEntries(
  existing: readonly ExistingEntry[],
  expected: readonly TocEntry[],
  anchors: readonly HeadingAnchor[],
  options: TocOptions,
  fallback: Point,
): Problem[] {
  const steps = alignEntries(existing, expected);
  const problems: Problem[] = [];
  steps.forEach((step, index) => {
    const { existing: have, expected: want } = step;
    if (have && want) {
      const heading = `the heading at line ${want.heading.line} is ${quote(want.text)} (#${want.slug})`;
      if (have.anchor !== want.slug) {
        const target = have.anchor === undefined ? (have.url ? `links to ${have.url}` : 'is not a link') : `points to #${have.anchor}`;
        problems.push({ reason: `TOC entry ${quote(have.text)} ${target}; ${heading}`, place: have.place, ruleId: 'toc-entry-wrong' });
      } else if (have.text !== want.text) {
        problems.push({ reason: `TOC entry ${quote(have.text)} should read ${quote(want.text)}; ${heading}`, place: have.place, ruleId: 'toc-entry-wrong' });
      } else if (have.level !== want.level) {
        problems.push({
          reason: `TOC entry ${quote(have.text)} is nested at level ${have.level + 1}; the heading at line ${want.heading.line} (depth ${want.heading.depth}) belongs at level ${want.level + 1}`,
          place: have.place,
          ruleId: 'toc-entry-level',
        });
      }
      return;
    }
    if (have) {
      const heading = anchors.find((a) => a.slug === have.anchor);
      const why = heading
        ? `the heading at line ${heading.line} (depth ${heading.depth}) is outside the TOC depths ${options.minDepth}-${options.maxDepth}`
        : have.anchor === undefined
          ? 'it does not point to a heading of this note'
          : 'no heading has this anchor';
      const target = have.anchor === undefined ? (have.url ?? 'no link') : `#${have.anchor}`;
      problems.push({ reason: `extra entry ${quote(have.text)} (${target}): ${why}`, place: have.place, ruleId: 'toc-entry-extra' });
      return;
    }
    if (want) {
      const after = steps.slice(index + 1).find((s) => s.existing)?.existing;
      const before = [...steps.slice(0, index)].reverse().find((s) => s.existing)?.existing;
      problems.push({
        reason: `missing entry for ${quote(want.text)} (line ${want.heading.line}, #${want.slug})`,
        place: after?.place ?? before?.place ?? fallback,
        ruleId: 'toc-entry-missing',
      });
    }
  });
  return problems;
}
