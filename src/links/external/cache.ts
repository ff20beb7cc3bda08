/**
 * The external-link cache: a JSON file (default `.kb/link-cache.json`) mapping
 * each checked URL (without fragment) to its result and when it was checked.
 * Entries older than the time-to-live are ignored and dropped on save.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { UrlResult } from './fetch-url.ts';

interface CacheFileV1 {
  version: 1;
  entries: Record<string, UrlResult>;
}

export class LinkCache {
  private readonly entries: Map<string, UrlResult>;
  private dirty = false;

  private constructor(
    readonly file: string | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number,
    entries: Map<string, UrlResult>,
  ) {
    this.entries = entries;
  }

  /** Load the cache file; a missing or unreadable file is an empty cache. `file` undefined: memory only. */
  static load(file: string | undefined, ttlMs: number, now: () => number = Date.now): LinkCache {
    const entries = new Map<string, UrlResult>();
    if (file) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CacheFileV1>;
        if (data.version === 1 && data.entries && typeof data.entries === 'object') {
          for (const [url, result] of Object.entries(data.entries)) entries.set(url, result);
        }
      } catch {
        // No cache yet, or a damaged one: start empty.
      }
    }
    return new LinkCache(file, ttlMs, now, entries);
  }

  private fresh(result: UrlResult): boolean {
    return this.now() - result.checkedAt < this.ttlMs;
  }

  /** A fresh result; with `needIds`, only one that kept the page's anchors. */
  get(url: string, needIds = false): UrlResult | undefined {
    const result = this.entries.get(url);
    if (!result || !this.fresh(result)) return undefined;
    if (needIds && result.ids === undefined && result.html !== false && result.outcome === 'ok') return undefined;
    return result;
  }

  set(url: string, result: UrlResult): void {
    this.entries.set(url, result);
    this.dirty = true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Write the fresh entries (atomically: temp file, then rename). */
  save(): void {
    if (!this.file || !this.dirty) return;
    const entries: Record<string, UrlResult> = {};
    for (const [url, result] of [...this.entries].sort(([a], [b]) => a.localeCompare(b))) {
      if (this.fresh(result)) entries[url] = result;
    }
    const data: CacheFileV1 = { version: 1, entries };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`);
    renameSync(temp, this.file);
    this.dirty = false;
  }
}
