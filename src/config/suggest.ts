/** "Did you mean": the known word nearest to a typo, when it is near enough to be a likely typo. */
import { distance } from 'fastest-levenshtein';

/** `slack`: extra edits allowed beyond a third of the word (a transposition costs two). */
export function closest(word: string, known: readonly string[], slack = 0): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3)) + slack;
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}
