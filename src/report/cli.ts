/**
 * `kb report [options]`: run every note with vitest (or merge the blob
 * reports of sharded runs), then write the report (JSON and HTML) and print a
 * summary. The exit status is the test run's, so the report can replace
 * `npm test` for the notes in CI.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { closest } from '../config/suggest.ts';
import { resolvePython } from '../run/runners/python/interpreter.ts';
import { buildReport } from './build.ts';
import { writeReportHtml } from './html/index.ts';
import { writeReportJson } from './json.ts';
import { loadNotes } from './notes.ts';
import { mergeNoteReports, runNotes } from './run.ts';
import { collectNotes } from '../notes/collect.ts';
import { loadCommandConfig } from '../notes/command-config.ts';
import { formatSummary } from './terminal.ts';
import { loadMutationSummary } from '../mutate/result.ts';

export const DEFAULT_OUT = '.kb/report';

export const USAGE = `Usage: kb report [options]

Runs every note (notes/**/*.md and README.md) with vitest and writes
  <out>/report.json   the knowledge base's figures (schema: src/report/schema.ts)
  <out>/index.html    one self-contained page: every note with its claims marked
then prints a summary per note and one line per failure.

  --root DIR           knowledge base root, the folder holding notes/ (default: .)
  --out DIR            where to write the report (default: <root>/${DEFAULT_OUT})
  --merge-reports DIR  run nothing: build the report from the blob reports of
                       sharded runs (vitest run --shard=i/n --reporter=blob
                       writes them to .vitest-reports/)
  --strict             cited-only and no-evidence claims fail (same as KB_STRICT=1)
  -q, --quiet          print the failures and the totals only
  -h, --help           show this help

Exit status: 0 every test passed, 1 a test failed, 2 bad usage, no notes, or the run
itself failed (an internal error).`;

export interface ReportArgs {
  root: string;
  out: string | undefined;
  mergeReports: string | undefined;
  strict: boolean;
  quiet: boolean;
  help: boolean;
}

export interface ReportIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const OPTIONS = {
  root: { type: 'string' },
  out: { type: 'string' },
  'merge-reports': { type: 'string' },
  strict: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseReportArgs(argv: readonly string[]): ReportArgs | { error: string } {
  // A folder option followed by another option means the folder is missing, not that it is named `--strict`.
  for (let i = 0; i < argv.length; i++) {
    const name = /^--(root|out|merge-reports)$/.exec(argv[i]!)?.[1];
    if (name && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-'))) return { error: `--${name} needs a folder` };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    if (positionals.length > 0) return { error: `unexpected argument ${positionals[0]}` };
    for (const name of ['root', 'out', 'merge-reports'] as const) if (values[name] === '') return { error: `--${name} needs a folder` };
    return {
      root: values.root ?? '.',
      out: values.out,
      mergeReports: values['merge-reports'],
      strict: values.strict ?? false,
      quiet: values.quiet ?? false,
      help: values.help ?? false,
    };
  } catch (error) {
    return { error: usageError(error as Error & { code?: string }) };
  }
}

function usageError(error: Error & { code?: string }): string {
  const unknown = /Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const known = Object.entries(OPTIONS).flatMap(([name, o]) => [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])]);
    const near = closest(unknown.split('=')[0]!, known);
    return `unknown option ${unknown}${near ? ` (did you mean ${near}?)` : ''}`;
  }
  const flag = /Option '(?:-\w, )?(--[\w-]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    return OPTIONS[flag.slice(2) as keyof typeof OPTIONS]?.type === 'string' ? `${flag} needs a folder` : `${flag} takes no value`;
  }
  return error.message;
}

export async function runReportCli(argv: readonly string[], io: ReportIo): Promise<number> {
  const args = parseReportArgs(argv);
  if ('error' in args) {
    io.stderr(`report: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  const root = path.resolve(io.cwd, args.root);
  const outDir = args.out ? path.resolve(io.cwd, args.out) : path.join(root, DEFAULT_OUT);
  const config = await loadCommandConfig('report', [], { cwd: root, env: io.env, stderr: io.stderr });
  if (!config) return 2;
  const strict = args.strict || config.strict;
  const notes = loadNotes(root, collectNotes(config).files);
  if (notes.size === 0) {
    io.stderr(`report: no notes under ${root} (looked for ${config.notes.join(', ')}); name them in package.json's \"kb\" (\"notes\": [\"docs/**/*.md\"]) or kb.config.json, or give the repository root with --root`);
    return 2;
  }
  let run;
  try {
    run = args.mergeReports !== undefined ? await mergeNoteReports({ root, strict, config, blobDir: path.resolve(io.cwd, args.mergeReports) }) : await runNotes({ root, strict, config });
  } catch (error) {
    // The run itself failed (vitest could not start, say): not a problem in the notes.
    io.stderr(`report: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }
  const python = await resolvePython().then((p) => p.versionString, () => null);
  const report = buildReport({
    root,
    plans: new Map([...notes].map(([file, loaded]) => [file, loaded.plan])),
    modules: run.modules,
    runErrors: run.errors,
    python,
    strict,
    generatedAt: new Date(),
  });
  const texts = new Map([...notes.values()].map(({ note, plan }) => [plan.path, note.text]));
  try {
    const mutations = loadMutationSummary(root, texts);
    if (mutations) report.mutations = mutations;
  } catch (error) {
    io.stderr(`report: ${(error as Error).message}`);
    return 2;
  }
  const html = await writeReportHtml(report, texts, root, outDir);
  const written = [writeReportJson(report, outDir), html].map((file) => path.relative(io.cwd, file) || file);
  if (run.errors.length > 0 && run.log.trim()) io.stderr(run.log.trimEnd());
  io.stdout(formatSummary(report, { written, quiet: args.quiet }));
  return report.failed ? 1 : 0;
}
