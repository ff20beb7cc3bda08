/**
 * `kb links [options] [paths...]`: check the notes, print every
 * problem as `notes/x.md:12:5: reason [rule-id]`, exit 1 on errors, 0
 * without, 2 on bad usage or when no note is selected. Paths are read from
 * the working directory; notes are named from the project root.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import type { KbConfig } from '../../config/schema.ts';
import { collectNotes, type NotesConfig } from '../../notes/collect.ts';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { formatDiagnostic, toPlain } from '../../diagnostics/index.ts';
import { EXIT, helpOrConfig, jsonProblem, jsonText, noNotesLine, readArgs, type CliIo as CommandIo, type JsonProblem } from '../../cli/command.ts';
import { checkSummary } from '../check.ts';
import { checkExternalLinks, type LinkSource } from '../external/check-external.ts';
import { buildLinkIndex } from '../link-index.ts';
import { loadSummaries } from '../load.ts';
import { parseArgs, USAGE, UsageError } from './args.ts';

export interface CliIo extends CommandIo {
  /** For tests: the fetch external checks use. */
  fetch?: typeof fetch;
}

/** `--json`: one problem. */
export type LinksJsonProblem = JsonProblem;

/** `--json`: the whole output (README, "The kb command"). */
export interface LinksJson {
  notes: number;
  errors: number;
  warnings: number;
  problems: LinksJsonProblem[];
}

export async function runLinksCli(argv: readonly string[], io: CliIo): Promise<number> {
  const options = readArgs('links', io, () => parseArgs(argv));
  if (typeof options === 'number') return options;
  const config = await helpOrConfig({ name: 'links', usage: USAGE }, options, io);
  if (typeof config === 'number') return config;
  const root = config.root;
  const files = readArgs('links', io, () => notePaths(io.cwd, options.paths, config));
  if (typeof files === 'number') return files;
  if (files.length === 0) {
    io.stderr(noNotesLine('links', config));
    return EXIT.failure;
  }

  const index = buildLinkIndex({
    root,
    fast: !options.fullParse,
    notes: options.paths.length === 0 ? files : notePaths(io.cwd, [], config),
    siteRoot: config.siteRoot,
    autorefs: config.links.autorefs,
  });
  const summaries = loadSummaries(files, { root, fast: !options.fullParse });
  for (const summary of summaries) index.registerSummary(summary);
  const notes: LinkSource[] = [];
  const messages: VFileMessage[] = [];
  for (const summary of summaries) {
    const file = new VFile({ path: summary.relPath, cwd: root });
    notes.push({ file, links: summary.links });
    messages.push(...checkSummary(file, summary, index));
  }

  // The flag wins; else the configuration's "links.external", which KB_LINKS_EXTERNAL overrides (src/config/env.ts).
  const external = options.external ?? config.links.external;
  let externalSummary = '';
  if (external) {
    const result = await checkExternalLinks(notes, {
      root,
      checkFragments: options.checkFragments,
      ignore: options.ignore,
      ...defined({
        cacheFile: options.cacheFile,
        ttlMs: options.ttlMs,
        timeoutMs: options.timeoutMs,
        ignoreFile: options.ignoreFile,
        perHost: options.perHost,
        concurrency: options.concurrency,
        retries: options.retries,
        maxRetryAfterMs: options.maxRetryAfterMs,
        fetch: io.fetch,
      }),
    });
    messages.push(...result.messages);
    externalSummary = `; external: ${result.urls} URLs, ${result.fromCache} from cache, ${result.ignored} ignored, ${result.requests} requests`;
  }

  const plain = messages.map((message) => toPlain(message)).sort(
    (a, b) => compare(a.file, b.file) || a.line - b.line || a.column - b.column || compare(a.ruleId, b.ruleId) || compare(a.reason, b.reason),
  );
  const errors = plain.filter((message) => message.fatal).length;
  const warnings = plain.length - errors;
  if (options.json) {
    const problems: LinksJsonProblem[] = plain.map((p) => jsonProblem(p));
    io.stdout(jsonText({ notes: notes.length, errors, warnings, problems } satisfies LinksJson));
  } else if (plain.length > 0) io.stdout(`${plain.map(formatDiagnostic).join('\n')}\n`);
  if (!options.quiet) io.stderr(
    `links: ${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(notes.length, 'note')}${external ? externalSummary : ' (offline; --external checks web links)'}\n`,
  );
  return errors > 0 ? EXIT.problems : EXIT.clean;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/**
 * The notes named by the arguments (files, or folders: the notes inside), relative to the
 * configuration's root; default every note (src/notes/collect.ts). A path is read from `cwd`.
 */
export function notePaths(cwd: string, args: readonly string[], notes: NotesConfig & Pick<KbConfig, 'root'>): string[] {
  const relative = (file: string) => path.relative(notes.root, file).split(path.sep).join('/');
  if (args.length === 0) return collectNotes(notes).files.map(relative);
  const files = new Set<string>();
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw new UsageError(`no such file or folder: ${arg}`);
    }
    if (!isDir) {
      files.add(relative(abs));
      continue;
    }
    for (const file of collectNotes(notes, [abs]).files) files.add(relative(file));
  }
  return [...files].sort();
}
