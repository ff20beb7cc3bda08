/**
 * Fingerprints of what a cached result depends on: a file's bytes, a folder's
 * listing, or its absence. Content hashes, not mtimes: an edit within the
 * clock's granularity, or a checkout that restores an old mtime, must still
 * invalidate.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';

export function digest(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 40);
}

/** `missing`, `dir:<hash of the sorted entries>` or `file:<hash of the bytes>`. */
export function fingerprintPath(absPath: string): string {
  let stats;
  try {
    stats = statSync(absPath);
  } catch {
    return 'missing';
  }
  try {
    if (stats.isDirectory()) {
      const entries = readdirSync(absPath, { withFileTypes: true }).map((e) => `${e.isDirectory() ? 'd' : 'f'}:${e.name}`).sort();
      return `dir:${digest(...entries)}`;
    }
    return `file:${digest(readFileSync(absPath))}`;
  } catch {
    return 'unreadable';
  }
}

/** Fingerprints memoized until `forget` (files do not change within one run; watch mode forgets on change). */
export class Fingerprints {
  private readonly known = new Map<string, string>();
  of(absPath: string): string {
    let found = this.known.get(absPath);
    if (found === undefined) {
      found = fingerprintPath(absPath);
      this.known.set(absPath, found);
    }
    return found;
  }
  forget(absPath?: string): void {
    if (absPath === undefined) this.known.clear();
    else this.known.delete(absPath);
  }
}
