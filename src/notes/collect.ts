/**
 * Which files are notes: the one answer every entry point uses (the vitest
 * plugin, watch mode, `toc`, `links`, `report`, `update`).
 *
 * A file is a note when its path relative to the root matches one of the
 * configuration's `notes` globs, none of its `exclude` globs, has no
 * `node_modules` folder in it, and (unless `dotFolders` is on) no folder
 * whose name starts with `.`. Symbolic links are followed once: a link to a
 * Markdown file is a note under the link's own path; a linked folder is
 * walked unless its real folder was already walked (so a link loop ends, and
 * a file reached twice is listed once, under its path without links when it
 * has one).
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { KbConfig } from '../config/schema.ts';

/** The part of the configuration note collection reads. */
export type NotesConfig = Pick<KbConfig, 'root' | 'notes' | 'exclude' | 'dotFolders'>;

/** Folders never walked, whatever the globs say. */
const NEVER = new Set(['node_modules', '.git']);

export interface NoteMatcher {
  /** Is this path (absolute, or relative to the root) a note by name? Does not touch the disk. */
  (file: string): boolean;
}

/** The name test of `collectNotes`, for a path that already exists (watch mode's new files). */
export function noteMatcher(config: NotesConfig): NoteMatcher {
  const included = picomatch(config.notes, { dot: true });
  const excluded = config.exclude.length > 0 ? picomatch(config.exclude, { dot: true }) : () => false;
  return (file) => {
    const rel = toRelative(config.root, file);
    if (rel === undefined || rel === '') return false;
    const parts = rel.split('/');
    const folders = parts.slice(0, -1);
    if (folders.some((f) => NEVER.has(f))) return false;
    if (!config.dotFolders && folders.some((f) => f.startsWith('.'))) return false;
    return included(rel) && !excluded(rel);
  };
}

interface Found {
  /** Absolute path as reached (through links, if any). */
  file: string;
  real: string;
  /** Whether a link was followed to reach it. */
  viaLink: boolean;
}

/**
 * Every note of the configuration, absolute, sorted. With `paths` (files or
 * folders, relative to `cwd`), only the notes that are one of them or inside
 * one of them; `unmatched` lists the paths that selected no note.
 */
export function collectNotes(config: NotesConfig, paths?: readonly string[], cwd = config.root): { files: string[]; unmatched: string[] } {
  const all = walkNotes(config);
  if (!paths || paths.length === 0) return { files: all, unmatched: [] };
  const selected = new Set<string>();
  const unmatched: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    const inside = absolute.endsWith(path.sep) ? absolute : absolute + path.sep;
    let hits = all.filter((file) => file === absolute || file.startsWith(inside));
    // A path named on the command line is read even when the configured globs do not reach it
    // (as linters do): a Markdown file is a note, a folder holds its Markdown files.
    if (hits.length === 0) hits = explicitNotes(config, absolute);
    if (hits.length === 0) unmatched.push(given);
    for (const hit of hits) selected.add(hit);
  }
  return { files: [...selected].sort(), unmatched };
}

function explicitNotes(config: NotesConfig, absolute: string): string[] {
  const rel = toRelative(config.root, absolute);
  if (rel === undefined) return [];
  let pattern: string;
  try {
    const stat = statSync(absolute);
    if (stat.isFile()) {
      if (!absolute.endsWith('.md')) return [];
      pattern = picomatch.scan(rel).isGlob ? '' : rel;
    } else pattern = rel === '' ? '**/*.md' : `${rel}/**/*.md`;
  } catch {
    return [];
  }
  if (pattern === '') return [];
  return walkNotes({ ...config, notes: [pattern] });
}

function walkNotes(config: NotesConfig): string[] {
  const isNote = noteMatcher(config);
  const root = path.resolve(config.root);
  const found: Found[] = [];
  const walkedDirs = new Set<string>();
  /** Linked folders met during a walk, followed only after every real folder was walked. */
  const deferred: Array<{ dir: string; real: string }> = [];

  const walk = (dir: string, viaLink: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing in it can be read as a note either
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      const isLink = entry.isSymbolicLink();
      if (isLink) {
        try {
          const stat = statSync(full);
          isDir = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue; // a broken link names no note
        }
      }
      if (isDir) {
        if (NEVER.has(entry.name) || (!config.dotFolders && entry.name.startsWith('.'))) continue;
        if (!couldHoldNotes(full)) continue;
        const real = safeRealpath(full);
        if (real === undefined) continue;
        if (isLink) deferred.push({ dir: full, real });
        else if (!walkedDirs.has(real)) {
          walkedDirs.add(real);
          walk(full, viaLink);
        }
      } else if (isFile && isNote(full)) {
        const real = safeRealpath(full);
        if (real !== undefined) found.push({ file: full, real, viaLink: viaLink || isLink });
      }
    }
  };

  // Only the folders the globs can reach are walked: `notes/**/*.md` walks notes/, `README.md` stats one file.
  const bases = new Set<string>();
  for (const pattern of config.notes) {
    const scan = picomatch.scan(pattern);
    if (!scan.isGlob) {
      const full = path.join(root, pattern);
      try {
        if (statSync(full).isFile() && isNote(full)) {
          const real = safeRealpath(full);
          if (real !== undefined) found.push({ file: full, real, viaLink: real !== full });
        }
      } catch {
        // a named file that does not exist is simply not a note
      }
      continue;
    }
    bases.add(path.join(root, scan.base));
  }
  const couldHoldNotes = (dir: string) => [...bases].some((base) => dir === base || dir.startsWith(base + path.sep) || base.startsWith(dir + path.sep));
  for (const base of [...bases].sort()) {
    const real = safeRealpath(base);
    if (real === undefined || walkedDirs.has(real)) continue;
    try {
      if (!statSync(base).isDirectory()) continue;
    } catch {
      continue;
    }
    walkedDirs.add(real);
    walk(base, real !== base);
  }
  while (deferred.length > 0) {
    const next = deferred.shift()!;
    if (walkedDirs.has(next.real)) continue;
    walkedDirs.add(next.real);
    walk(next.dir, true);
  }

  // One entry per real file: its path without links when it has one, else the first by name.
  const byReal = new Map<string, Found>();
  for (const entry of found) {
    const kept = byReal.get(entry.real);
    if (!kept || (kept.viaLink && !entry.viaLink) || (kept.viaLink === entry.viaLink && entry.file < kept.file)) byReal.set(entry.real, entry);
  }
  return [...byReal.values()].map((e) => e.file).sort();
}

function safeRealpath(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch {
    return undefined;
  }
}

/** Root-relative with `/` separators; undefined when outside the root. */
function toRelative(root: string, file: string): string | undefined {
  const rel = path.isAbsolute(file) ? path.relative(path.resolve(root), file) : path.normalize(file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
