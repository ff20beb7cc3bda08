/**
 * A persistent cache of each note's transform (its plan and the verdicts of
 * its structural checks, as the generated module) across runs.
 *
 * An entry is used only when all of these are unchanged: the note's text and
 * path, the `salt` (engine version and build, the configuration, the list of
 * notes), and the fingerprint of every file the result depends on (notes it
 * links to, so their headings and ids; linked files and folders, including
 * ones that were missing; included files; linked scripts; for the notes index,
 * every note). Anything unreadable or malformed is a miss, never an error.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { digest, Fingerprints } from './fingerprint.ts';

export interface NoteCacheOptions {
  /** Folder of the entries (created on first write). */
  dir: string;
  /** Everything besides the note and its dependencies that a result depends on. */
  salt: string;
}

export interface CachedNote<T> {
  value: T;
  /** Absolute paths the value depends on (besides the note itself). */
  dependencies: string[];
  /** Side files of the value (`writeSide`): the entry is used only while they are all there. */
  sides?: string[];
}

interface Entry<T> {
  key: string;
  dependencies: [string, string][];
  sides?: string[];
  value: T;
}

export class NoteCache<T> {
  readonly fingerprints = new Fingerprints();
  /** Counts for the bench and the tests. */
  readonly stats = { hits: 0, misses: 0, writes: 0 };
  constructor(private readonly options: NoteCacheOptions) {}

  private entryPath(file: string): string {
    return path.join(this.options.dir, `${digest(path.resolve(file))}.json`);
  }

  private key(file: string, text: string): string {
    return digest(this.options.salt, path.resolve(file), text);
  }

  get(file: string, text: string): CachedNote<T> | undefined {
    let entry: Entry<T>;
    try {
      entry = JSON.parse(readFileSync(this.entryPath(file), 'utf8')) as Entry<T>;
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const fresh =
      entry?.key === this.key(file, text) &&
      Array.isArray(entry.dependencies) &&
      entry.dependencies.every((d) => Array.isArray(d) && typeof d[0] === 'string' && this.fingerprints.of(d[0]) === d[1]) &&
      (entry.sides ?? []).every((side) => typeof side === 'string' && existsSync(side));
    if (!fresh) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return { value: entry.value, dependencies: entry.dependencies.map(([dependency]) => dependency), ...(entry.sides ? { sides: entry.sides } : {}) };
  }

  /**
   * Keep a large part of a note's value in a file of its own beside the entries (named by the
   * note and the content); its path, or undefined when it
   * cannot be written. List it in the entry's `sides`; `set` removes the note's previous ones.
   */
  writeSide(file: string, content: string, extension = '.json'): string | undefined {
    const side = path.join(this.options.dir, `${digest(path.resolve(file))}.${digest(content)}${extension}`);
    try {
      mkdirSync(this.options.dir, { recursive: true });
      // Written again even when present: on a miss, a damaged file of the same name must not survive.
      writeFileAtomicSync(side, content, { fsync: false });
      return side;
    } catch {
      return undefined;
    }
  }

  /** Store a result; a failure to write (read-only disk, full disk) only costs the next run its speed. */
  set(file: string, text: string, cached: CachedNote<T>): void {
    const entry: Entry<T> = {
      key: this.key(file, text),
      dependencies: cached.dependencies.map((d) => [path.resolve(d), this.fingerprints.of(path.resolve(d))]),
      ...(cached.sides ? { sides: cached.sides } : {}),
      value: cached.value,
    };
    const previous = this.previousSides(file);
    try {
      mkdirSync(this.options.dir, { recursive: true });
      writeFileAtomicSync(this.entryPath(file), JSON.stringify(entry), { fsync: false });
      this.stats.writes++;
    } catch {
      return; // the cache is an optimisation
    }
    // A side file is named by the note's path and its content: only this note's old entry used it.
    for (const side of previous) if (!cached.sides?.includes(side)) rmSync(side, { force: true });
  }

  /** The side files of the note's current entry, whatever its key (they belong to this note). */
  private previousSides(file: string): string[] {
    try {
      const sides = (JSON.parse(readFileSync(this.entryPath(file), 'utf8')) as Entry<T>).sides;
      const prefix = path.join(this.options.dir, `${digest(path.resolve(file))}.`);
      return Array.isArray(sides) ? sides.filter((s) => typeof s === 'string' && s.startsWith(prefix)) : [];
    } catch {
      return [];
    }
  }
}
