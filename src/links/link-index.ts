/**
 * The link index: what a link may point at. Knows the repository root, lists
 * directories once (so existence checks are exact about case, as on GitHub and
 * Linux, even on a case-insensitive disk), parses each Markdown target at most
 * once and caches the anchors of every file it looked into.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { readNote, toRelPath, type Note } from '../markdown/parse.ts';
import { htmlFileAnchors, plainFileAnchors, summaryAnchors, type FileAnchors } from './anchors.ts';
import { loadSummaries } from './load.ts';
import { summarizeNote, type NoteSummary } from './summary.ts';
import { isHtmlPath, isMarkdownPath } from './url.ts';

export type EntryKind = 'file' | 'dir';

export interface LinkIndex {
  /** Absolute repository root; root-relative links (`/notes/x.md`) start here, and no link may leave it. */
  readonly root: string;
  /** The knowledge base's notes, relative to the root (default: `notes/**\/*.md`). */
  readonly notes: readonly string[];
  /** Absolute folder root-relative links (`/guide/x.md`) resolve against: the configured `siteRoot`, else the root. */
  readonly siteRoot: string;
  /** True when a `siteRoot` is configured: links are read as a static site (mkdocs) reads them, `install/` → `install.md`. */
  readonly site: boolean;
  /** Whether undefined references that look like mkdocs autorefs are checked (`links.autorefs`). */
  readonly autorefs: boolean;
  /** Every anchor of every note and every mkdocstrings `::: identifier`: what an autoref may name. */
  autorefTargets(): ReadonlySet<string>;
  /** The parsed note at a path (absolute or relative to the root), parsed at most once. */
  note(filePath: string): Note;
  /** Make an already parsed note known, so its anchors come from that parse. */
  register(note: Note): void;
  /** Make a note known by its summary (parsed elsewhere, e.g. in a worker thread). */
  registerSummary(summary: NoteSummary): void;
  /** The summary of a note (from a registered note or summary, else parsed now), at most one parse per file. */
  summary(filePath: string): NoteSummary;
  /** Whether an absolute path is a file or a folder, matching case exactly. */
  entry(absPath: string): EntryKind | undefined;
  /** The path relative to the root as it exists on disk when it differs from `absPath` only by case. */
  caseInsensitiveMatch(absPath: string): string | undefined;
  /** The entries of a folder (exact names), or null when it cannot be read. Listed once. */
  children(absDir: string): ReadonlyMap<string, EntryKind> | null;
  /** Anchors and line count of a file (Markdown: headings and HTML ids; HTML: ids; others: lines only). */
  anchors(absPath: string): FileAnchors;
  /** Every file and folder under the root (relative, `/`-separated), for suggestions. Listed once, lazily. */
  paths(): readonly string[];
}

export interface LinkIndexOptions {
  root: string;
  /** Notes of the knowledge base (absolute or relative to root). Default: `notes/**\/*.md` under root. */
  notes?: string[];
  /**
   * Read target notes with the fast scanner (default true; verified equal to
   * the full parse for what links need). False: parse each target whole.
   */
  fast?: boolean;
  /** The configured `siteRoot` (absolute or relative to root). */
  siteRoot?: string | undefined;
  /** The configured `links.autorefs`. */
  autorefs?: boolean;
}

const IGNORED = ['**/node_modules/**', '**/.git/**'];

export function buildLinkIndex(options: LinkIndexOptions): LinkIndex {
  return new FsLinkIndex(options);
}

export function listNotes(root: string, patterns: string[] = ['notes/**/*.md']): string[] {
  return globSync(patterns, { cwd: root, ignore: IGNORED, dot: false }).sort();
}

class FsLinkIndex implements LinkIndex {
  readonly root: string;
  private noteList: readonly string[] | undefined;
  private readonly parsed = new Map<string, Note>();
  private readonly summaries = new Map<string, NoteSummary>();
  private readonly anchorCache = new Map<string, FileAnchors>();
  private readonly dirCache = new Map<string, Map<string, EntryKind> | null>();
  private allPaths: string[] | undefined;
  private readonly fast: boolean;
  readonly siteRoot: string;
  readonly site: boolean;
  readonly autorefs: boolean;
  private targets: Set<string> | undefined;

  constructor(options: LinkIndexOptions) {
    this.root = path.resolve(options.root);
    this.fast = options.fast ?? true;
    this.site = options.siteRoot !== undefined;
    this.siteRoot = options.siteRoot === undefined ? this.root : path.resolve(this.root, options.siteRoot);
    this.autorefs = options.autorefs ?? false;
    this.noteList = options.notes?.map((note) => toRelPath(this.root, path.resolve(this.root, note)));
  }

  get notes(): readonly string[] {
    this.noteList ??= listNotes(this.root);
    return this.noteList;
  }

  autorefTargets(): ReadonlySet<string> {
    if (!this.targets) {
      this.targets = new Set();
      // The configured notes and every note checked in this run (a folder given on the command line).
      const files = new Set([...this.notes.map((note) => path.resolve(this.root, note)), ...this.summaries.keys()]);
      for (const file of files) {
        const summary = this.summary(file);
        for (const anchor of summary.anchors) this.targets.add(anchor.slug);
        for (const id of summary.autorefIds) this.targets.add(id);
      }
    }
    return this.targets;
  }

  note(filePath: string): Note {
    const abs = path.resolve(this.root, filePath);
    let note = this.parsed.get(abs);
    if (!note) {
      note = readNote(abs, { root: this.root });
      this.parsed.set(abs, note);
    }
    return note;
  }

  register(note: Note): void {
    if (this.parsed.get(note.path) === note) return;
    this.parsed.set(note.path, note);
    this.summaries.delete(note.path);
    this.anchorCache.delete(note.path);
  }

  registerSummary(summary: NoteSummary): void {
    if (this.summaries.get(summary.path) === summary) return;
    this.parsed.delete(summary.path);
    this.summaries.set(summary.path, summary);
    this.anchorCache.delete(summary.path);
  }

  summary(filePath: string): NoteSummary {
    const abs = path.resolve(this.root, filePath);
    let summary = this.summaries.get(abs);
    if (!summary) {
      // A note parsed for its own check is reused; a mere target is read through the fast scanner.
      const parsed = this.parsed.get(abs);
      summary = parsed ? summarizeNote(parsed) : loadSummaries([abs], { root: this.root, fast: this.fast })[0]!;
      this.summaries.set(abs, summary);
    }
    return summary;
  }

  entry(absPath: string): EntryKind | undefined {
    if (absPath === this.root) return 'dir';
    return this.children(path.dirname(absPath))?.get(path.basename(absPath));
  }

  caseInsensitiveMatch(absPath: string): string | undefined {
    const rel = path.relative(this.root, absPath);
    if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    let dir = this.root;
    const found: string[] = [];
    for (const segment of rel.split(path.sep)) {
      const entries = this.children(dir);
      if (!entries) return undefined;
      let name: string | undefined = entries.has(segment) ? segment : undefined;
      if (name === undefined) {
        const lower = segment.toLowerCase();
        name = [...entries.keys()].find((candidate) => candidate.toLowerCase() === lower);
      }
      if (name === undefined) return undefined;
      found.push(name);
      dir = path.join(dir, name);
    }
    return found.join('/');
  }

  anchors(absPath: string): FileAnchors {
    let anchors = this.anchorCache.get(absPath);
    if (!anchors) {
      anchors = this.computeAnchors(absPath);
      this.anchorCache.set(absPath, anchors);
    }
    return anchors;
  }

  paths(): readonly string[] {
    if (!this.allPaths) {
      const files = globSync(['**/*'], { cwd: this.root, ignore: IGNORED, dot: false, onlyFiles: false });
      this.allPaths = files.map((file) => (file.endsWith('/') ? file.slice(0, -1) : file)).sort();
    }
    return this.allPaths;
  }

  private computeAnchors(absPath: string): FileAnchors {
    if (isMarkdownPath(absPath)) return summaryAnchors(this.summary(absPath));
    let text: string;
    try {
      text = readFileSync(absPath, 'utf8');
    } catch {
      return plainFileAnchors('');
    }
    return isHtmlPath(absPath) ? htmlFileAnchors(text) : plainFileAnchors(text);
  }

  children(dir: string): ReadonlyMap<string, EntryKind> | null {
    let entries = this.dirCache.get(dir);
    if (entries === undefined) {
      entries = readDir(dir);
      this.dirCache.set(dir, entries);
    }
    return entries;
  }
}

function readDir(dir: string): Map<string, EntryKind> | null {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const entries = new Map<string, EntryKind>();
  for (const dirent of dirents) {
    if (dirent.isDirectory()) entries.set(dirent.name, 'dir');
    else if (dirent.isSymbolicLink()) {
      try {
        entries.set(dirent.name, statSync(path.join(dir, dirent.name)).isDirectory() ? 'dir' : 'file');
      } catch {
        // A dangling symlink points at nothing.
      }
    } else entries.set(dirent.name, 'file');
  }
  return entries;
}
