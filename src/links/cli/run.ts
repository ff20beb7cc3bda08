/**
 * `kb links [options] [paths...]`: check the notes, print every
 * problem as `notes/x.md:12:5: reason [rule-id]`, exit 1 on errors, 0
 * without, 2 on a usage error. The repository root is the working directory.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig, type KbConfig } from '../../config/schema.ts';
import { collectNotes, type NotesConfig } from '../../notes/collect.ts';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { formatDiagnostic, toPlain } from '../../diagnostics/index.ts';
import { checkSummary } from '../check.ts';
import { checkExternalLinks, type LinkSource } from '../external/check-external.ts';
import { buildLinkIndex } from '../link-index.ts';
import { loadSummaries } from '../load.ts';
import { externalFromEnv, parseArgs, USAGE, UsageError, type CliOptions } from './args.ts';

export interface CliIo {
  cwd: string;
  /** Which files are notes (the loaded configuration); default: the default configuration at `cwd`. */
  notes?: NotesConfig & Partial<Pick<KbConfig, 'siteRoot' | 'links'>>;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** For tests: the fetch external checks use. */
  fetch?: typeof fetch;
}

export async function runLinksCli(argv: readonly string[], io: CliIo): Promise<number> {
  let options: CliOptions;
  let files: string[];
  try {
    options = parseArgs(argv);
    if (options.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    files = notePaths(io.cwd, options.paths, io.notes);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`links: ${error.message}; \`kb links --help\` lists the options\n`);
    return 2;
  }

  const index = buildLinkIndex({
    root: io.cwd,
    fast: !options.fullParse,
    notes: notePaths(io.cwd, [], io.notes),
    siteRoot: io.notes?.siteRoot,
    autorefs: io.notes?.links?.autorefs ?? false,
  });
  const summaries = loadSummaries(files, { root: io.cwd, fast: !options.fullParse });
  for (const summary of summaries) index.registerSummary(summary);
  const notes: LinkSource[] = [];
  const messages: VFileMessage[] = [];
  for (const summary of summaries) {
    const file = new VFile({ path: summary.relPath, cwd: io.cwd });
    notes.push({ file, links: summary.links });
    messages.push(...checkSummary(file, summary, index));
  }

  const external = options.external ?? externalFromEnv(io.env);
  let externalSummary = '';
  if (external) {
    const result = await checkExternalLinks(notes, {
      root: io.cwd,
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
    const problems = plain.map((p) => ({ file: p.file, line: p.line, column: p.column, ruleId: p.ruleId, reason: p.reason, severity: p.fatal ? 'error' : 'warning' }));
    io.stdout(`${JSON.stringify({ notes: notes.length, errors, warnings, problems }, null, 2)}\n`);
  } else if (plain.length > 0) io.stdout(`${plain.map(formatDiagnostic).join('\n')}\n`);
  if (!options.quiet) io.stderr(
    `links: ${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(notes.length, 'note')}${external ? externalSummary : ' (offline; --external checks web links)'}\n`,
  );
  return errors > 0 ? 1 : 0;
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

/** The notes named by the arguments (files, or folders: the notes inside); default every note (src/notes/collect.ts). */
export function notePaths(cwd: string, args: readonly string[], notes: NotesConfig = defaultConfig(cwd)): string[] {
  if (args.length === 0) return collectNotes(notes).files.map((file) => path.relative(cwd, file).split(path.sep).join('/'));
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
      files.add(abs);
      continue;
    }
    for (const file of collectNotes(notes, [abs]).files) files.add(file);
  }
  return [...files].sort();
}
