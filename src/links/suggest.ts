/** "Did you mean …?" by edit distance. Pure functions. */
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import type { AnchorInfo } from './collect.ts';

/** How many edits still count as "close" for a value of this length. */
export function threshold(length: number): number {
  return Math.max(1, Math.min(4, Math.floor(length / 3)));
}

/** The candidate nearest to `value` within `threshold`, ties broken by candidate order. */
export function closest<T>(value: string, candidates: Iterable<T>, key: (candidate: T) => string): T | undefined {
  const limit = threshold(value.length);
  let best: T | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const text = key(candidate);
    if (Math.abs(text.length - value.length) > limit) continue;
    const d = distance(value, text);
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d === 0) break;
    }
  }
  return best;
}

export function closestAnchor(fragment: string, anchors: readonly AnchorInfo[]): AnchorInfo | undefined {
  return closest(fragment.toLowerCase(), anchors, (anchor) => anchor.slug.toLowerCase());
}

/**
 * The existing path (relative to the root) closest to a missing one: by the
 * whole path, else a file with the same name elsewhere in the same top-level
 * folder (a moved note; not a fixture of the same name in another corner).
 */
export function closestPath(missingRel: string, existing: readonly string[]): string | undefined {
  const byPath = closest(missingRel, existing, (candidate) => candidate);
  if (byPath !== undefined) return byPath;
  const base = path.posix.basename(missingRel);
  const top = missingRel.split('/')[0];
  const sameName = existing.filter((candidate) => path.posix.basename(candidate) === base && candidate.split('/')[0] === top);
  if (sameName.length === 0) return undefined;
  return closest(missingRel, sameName, (candidate) => candidate) ?? sameName.sort(byDistanceTo(missingRel))[0];
}

function byDistanceTo(target: string): (a: string, b: string) => number {
  return (a, b) => distance(a, target) - distance(b, target) || a.localeCompare(b);
}
