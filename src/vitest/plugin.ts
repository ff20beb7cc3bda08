/**
 * A vite plugin that makes every note a vitest test file: the notes are the
 * ones `collectNotes` finds (the same list as every command), vitest's
 * `include` is set to exactly them, and this plugin turns each into a module
 * registering one test per example, claim and structural check.
 */
import { readFileSync } from 'node:fs';
import { escapePath } from 'tinyglobby';
import path from 'node:path';
import type { FSWatcher, Plugin } from 'vite';
import type {} from 'vitest/node';
import { loadConfig, type KbConfig, type UserConfig } from '../config/index.ts';
import { siblingModule } from '../fs/sibling.ts';
import type { LinkIndex } from '../links/index.ts';
import { collectNotes, noteMatcher } from '../notes/collect.ts';
import { NoteCache, type CachedNote } from '../cache/note-cache.ts';
import { cacheSalt } from '../cache/salt.ts';
import { defaultCacheDir } from '../cache/location.ts';
import { generateModule, identityMap } from './codegen.ts';

type Compiler = typeof import('./compile-note.ts');

export interface KbNotesOptions {
  /** Repository root (default: vite's root). */
  root?: string;
  /** An already loaded configuration (the commands pass theirs, so plugin and command agree). */
  config?: KbConfig;
  /** Settings written in the plugin call; they win over kb.config.* and package.json's "kb". */
  settings?: UserConfig;
  /** Which Markdown files are notes, on top of the configuration (default: all it collects). */
  filter?: (file: string) => boolean;
  /** Cited-only claims fail (default: the project's configuration, `strict` or `KB_STRICT`). */
  strict?: boolean;
  /**
   * Keep each note's plan and structural verdicts across runs (default: true, in
   * `node_modules/.cache/kb-doctest/`). A string is the folder to use; false turns it off.
   */
  cache?: boolean | string;
}

/**
 * What the persistent cache keeps per note: the generated module (which reads the compiled note
 * from a side file of the cache when there is one) and the files it depends on.
 */
interface TransformedNote {
  code: string;
  lineCount: number;
  /** The side file of the cache the module reads the compiled note from. */
  planFile?: string;
}

const runtimeModule = siblingModule('note-tests', import.meta.url);

/**
 * How long watch mode waits for more changes before compiling the notes a change will rerun;
 * well within vitest's own 100 ms pause before the rerun, so the work is done when the rerun starts.
 */
const PREPARE_DELAY_MS = 20;

/** Root-relative paths of the notes, escaped so vitest's glob reads each as itself. */
export function includePatterns(config: KbConfig, filter?: (file: string) => boolean): string[] {
  return collectNotes(config)
    .files.filter((file) => !filter || filter(file))
    .map((file) => escapePath(path.relative(config.root, file).split(path.sep).join('/')));
}

/** Queries vite and vitest add to a module's own import (cache busting), as opposed to `?raw`, `?url` and the like. */
const PLAIN_IMPORT_PARAMS = new Set(['t', 'v', 'import']);

/** Whether an id's query (text after `?`) still asks for the module itself, i.e. the note as a test file. */
export function isTestImport(query: string | undefined): boolean {
  if (!query) return true;
  return [...new URLSearchParams(query).keys()].every((key) => PLAIN_IMPORT_PARAMS.has(key));
}

/** The part of vitest's instance watch mode uses (`configureVitest` hands it over). */
interface WatchingVitest {
  invalidateFile(file: string): void;
  scheduleRerun?(trigger: string): Promise<void>;
  watcher?: { changedTests?: Set<string> };
}

export function kbNotes(options: KbNotesOptions = {}): Plugin {
  let root = options.root ?? process.cwd();
  let kb: KbConfig | undefined = options.config;
  let isNote = (file: string) => file.endsWith('.md');
  // Anchors of link targets are cached across notes; any change on disk (watch mode) starts afresh.
  let links: LinkIndex | undefined;
  /** Dependency file → the notes whose verdicts depend on it (watch mode reruns them when it changes). */
  const dependents = new Map<string, Set<string>>();
  let vitest: WatchingVitest | undefined;
  /** The watcher of vitest's root server (watch mode) and the folder it watches. */
  let watching: { watcher: FSWatcher; root: string } | undefined;
  /** Notes to compile ahead of vitest's rerun (watch mode), and the timer that gathers a burst of changes. */
  const toPrepare = new Set<string>();
  let prepareTimer: ReturnType<typeof setTimeout> | undefined;
  let cache: NoteCache<TransformedNote> | undefined;
  const noteCache = (): NoteCache<TransformedNote> | undefined => {
    if (options.cache === false || !kb) return undefined;
    return (cache ??= new NoteCache<TransformedNote>({
      dir: typeof options.cache === 'string' ? path.resolve(root, options.cache) : defaultCacheDir(root),
      salt: cacheSalt({ config: kb, notes: collectNotes(kb).files.map((f) => path.relative(root, f)), extra: root }),
    }));
  };
  /** The heavy half (compile-note.ts), loaded with the first note the cache does not have. */
  let compiler: Compiler | undefined;
  let compilerLoading: Promise<Compiler> | undefined;
  const loadCompiler = async (): Promise<Compiler> => (compiler ??= await (compilerLoading ??= import('./compile-note.ts')));
  return {
    name: 'kb-notes',
    enforce: 'pre',
    /** For the bench and the tests: how the persistent cache fared in this process. */
    api: { cacheStats: () => cache?.stats },
    async config(user) {
      root = path.resolve(options.root ?? kb?.root ?? user.root ?? process.cwd());
      kb ??= await loadConfig({ root, ...(options.settings ? { inline: options.settings } : {}) });
      const matches = noteMatcher(kb);
      isNote = (file) => matches(file) && (!options.filter || options.filter(file));
      return {
        // A linked note keeps its link path as its module id: with vite's default (the real
        // path) a note reached through a link has no test of its own ("No test suite found").
        resolve: { preserveSymlinks: true },
        // Unless the project names its test files itself (src/vitest/index.ts passes the same list).
        ...(user.test?.include ? {} : { test: { include: includePatterns(kb, options.filter) } }),
      } as never;
    },
    configResolved(config) {
      root = options.root ?? kb?.root ?? config.root;
    },
    // Settings reach the note runtime in the workers as provided data, never through the environment.
    async configureVitest({ project, vitest: instance }) {
      // scheduleRerun is not in vitest's public types; it is checked for before each call.
      vitest = instance as unknown as WatchingVitest;
      // vitest watches files with its root vite server only: the server of a project (the `notes`
      // project `kb()` injects) has no watcher, so vite never calls a `watchChange` hook there. The
      // root server's watcher sees every change, whichever server this plugin is in.
      if (instance.config.watch) {
        listenTo(instance.vite.watcher, instance.config.root);
        instance.onClose(() => {
          clearTimeout(prepareTimer);
          toPrepare.clear();
        });
      }
      const strict = options.strict ?? (kb ?? (await loadConfig({ root: options.root ?? project.config.root }))).strict;
      project.provide('kbStrict', strict);
    },
    async load(id) {
      const [file = id, query] = id.split('?', 2);
      // `note.md?raw`, `?url` and other queries are the project's own imports of the text: left to vite.
      if (!isTestImport(query) || !file.endsWith('.md') || !isNote(file)) return null;
      const { value, dependencies } = await noteModule(file, readFileSync(file, 'utf8'));
      // Watch mode reruns the note when a file it includes, a script it links or a link target changes.
      for (const notes of dependents.values()) notes.delete(file);
      for (const dependency of dependencies) {
        this.addWatchFile(dependency);
        // vitest's watcher covers its root; a dependency elsewhere is watched when named to it
        // (`addWatchFile` names it to the server this plugin is in, which may watch nothing).
        if (watching && path.relative(watching.root, dependency).startsWith('..')) watching.watcher.add(dependency);
        if (!dependents.has(dependency)) dependents.set(dependency, new Set());
        dependents.get(dependency)!.add(file);
      }
      const code = value.code;
      const map = identityMap(file, value.lineCount);
      return { code, map: map as never, moduleType: 'js' } as never;
    },
  };

  /** Follow the changes vitest's watcher sees (once per watcher: a restarted vitest brings a new one). */
  function listenTo(watcher: FSWatcher, watchedRoot: string): void {
    if (watching?.watcher === watcher) return;
    watching = { watcher, root: watchedRoot };
    watcher.on('change', (file: string) => changed(file, 'update'));
    watcher.on('add', (file: string) => changed(file, 'create'));
    watcher.on('unlink', (file: string) => changed(file, 'delete'));
  }

  /** A file changed on disk (watch mode): forget what it may have changed; plan the reruns of the notes that depend on it. */
  function changed(id: string, event: 'create' | 'update' | 'delete'): void {
    links = undefined;
    cache?.fingerprints.forget();
    // A note created or deleted changes the list of notes, part of every entry's key.
    if (event !== 'update') cache = undefined;
    const file = path.resolve(id);
    const notes = dependents.get(file);
    // vitest waits 100 ms (its WATCHER_DEBOUNCE) before it reruns anything: the notes it will
    // rerun are compiled in that pause rather than when its fresh test worker asks for them.
    prepareSoon([...(event === 'update' && isNote(file) ? [file] : []), ...(notes ?? [])]);
    if (!notes || !vitest) return;
    // vitest reruns the importers of a changed watched file, but not when the file is itself a test
    // file (a note linking another note) or was created or deleted: those reruns are planned here.
    // (For a plain change they are not: vitest, whose listener runs first, has planned them.)
    const plan = event !== 'update' || isNote(file);
    for (const note of notes) {
      vitest.invalidateFile(note);
      if (plan) vitest.watcher?.changedTests?.add(note);
    }
    if (plan && event !== 'update') void vitest.scheduleRerun?.(id);
  }

  /** The note's module from the persistent cache when its entry is still valid, else compiled (and stored). */
  async function noteModule(file: string, text: string): Promise<CachedNote<TransformedNote>> {
    return noteCache()?.get(file, text) ?? compileModule(file, text, await loadCompiler());
  }

  function compileModule(file: string, text: string, compile: Compiler): CachedNote<TransformedNote> {
    const store = noteCache();
    const { compiled, dependencies } = compile.compileNote(file, text, { root, ...(kb ? { kb } : {}), links: () => (links ??= compile.linkIndexFor(root, kb)) });
    const lineCount = (text.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
    // With a cache, the module reads the compiled note from a side file instead of carrying it:
    // for a large note that is most of vite's work and memory on this module.
    const planFile = store?.writeSide(file, JSON.stringify(compiled));
    const { code } = generateModule(compiled, runtimeModule, lineCount, planFile ? { planFile } : {});
    const value: TransformedNote = { code, lineCount, ...(planFile ? { planFile } : {}) };
    store?.set(file, text, { value, dependencies, ...(planFile ? { sides: [planFile] } : {}) });
    return { value, dependencies };
  }

  /**
   * Compile these notes into the persistent cache shortly (changes come in bursts: a checkout,
   * an editor's save in two writes), so `load` finds them there. Nothing is kept in memory: the
   * cache entry is checked against the note's text and its dependencies when `load` reads it,
   * so a change after the preparation is never missed, only the preparation wasted. Without a
   * persistent cache there is nowhere to put the result, so nothing is prepared.
   */
  function prepareSoon(files: string[]): void {
    if (files.length === 0 || options.cache === false) return;
    for (const file of files) toPrepare.add(file);
    clearTimeout(prepareTimer);
    prepareTimer = setTimeout(() => {
      const files = [...toPrepare];
      toPrepare.clear();
      if (!noteCache()) return;
      void (async () => {
        for (const file of files) {
          try {
            await noteModule(file, readFileSync(file, 'utf8'));
          } catch {
            // Gone or unreadable since: `load` meets the same problem and reports it with the note.
          }
        }
      })();
    }, PREPARE_DELAY_MS);
    prepareTimer.unref();
  }
}
