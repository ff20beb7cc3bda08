/**
 * `kb report [options] [paths...]`: run the notes with vitest (or merge the blob
 * reports of sharded runs), then write the report (JSON and HTML) and print a
 * summary. The exit status is the test run's, so the report can replace
 * `npm test` for the notes in CI.
 */
import path from 'node:path';
import { COMMON_HELP, type OptionSpecs } from '../cli/args.ts';
import { EXIT, jsonText, noNotesLine, unmatchedLine, startCommand, type CliIo } from '../cli/command.ts';
import { resolvePython } from '../run/runners/python/interpreter.ts';
import { buildReport } from './build.ts';
import { writeReportHtml } from './html/index.ts';
import { writeReportJson } from './json.ts';
import { loadNotes } from './notes.ts';
import { mergeNoteReports, runNotes } from './run.ts';
import { collectNotes } from '../notes/collect.ts';
import { formatSummary } from './terminal.ts';
import { loadMutationSummary } from '../mutate/result.ts';

export const DEFAULT_OUT = '.kb/report';

export const USAGE = `Usage: kb report [options] [paths...]

Runs the notes (every note of the configuration, or those at or under the
paths) with vitest and writes
  <out>/report.json   the knowledge base's figures (schema: src/report/schema.ts)
  <out>/index.html    one self-contained page: every note with its claims marked
then prints a summary per note and one line per failure.

  --out DIR            where to write the report (default: <root>/${DEFAULT_OUT})
  --merge-reports DIR  run nothing: build the report from the blob reports of
                       sharded runs (vitest run --shard=i/n --reporter=blob
                       writes them to .vitest-reports/)
  --strict             cited-only and no-evidence claims fail (same as KB_STRICT=1)
${COMMON_HELP}
                 (--json prints report.json's document instead of the summary;
                 -q prints the failures and the totals only)

Exit status: 0 every test passed, 1 a test failed, 2 bad usage, no notes, or the run
itself failed (an internal error).`;

export const REPORT_OPTIONS = {
  out: { type: 'string', value: 'a folder' },
  'merge-reports': { type: 'string', value: 'a folder' },
  strict: { type: 'boolean' },
} as const satisfies OptionSpecs;

export async function runReportCli(argv: readonly string[], io: CliIo): Promise<number> {
  const started = await startCommand({ name: 'report', usage: USAGE, options: REPORT_OPTIONS }, argv, io);
  if (typeof started === 'number') return started;
  const { values, paths, config } = started;
  const root = config.root;
  const outDir = values.out ? path.resolve(io.cwd, values.out) : path.join(root, DEFAULT_OUT);
  const strict = values.strict === true || config.strict;
  const selected = collectNotes(config, paths, io.cwd);
  if (selected.unmatched.length > 0) {
    for (const given of selected.unmatched) io.stderr(unmatchedLine('report', given, config, io.cwd));
    return EXIT.failure;
  }
  const notes = loadNotes(root, selected.files, config);
  if (notes.size === 0) {
    io.stderr(noNotesLine('report', config));
    return EXIT.failure;
  }
  const mergeReports = values['merge-reports'];
  let run;
  try {
    run = mergeReports !== undefined
      ? await mergeNoteReports({ root, strict, config, blobDir: path.resolve(io.cwd, mergeReports) })
      : await runNotes({ root, strict, config, ...(paths.length > 0 ? { filters: selected.files } : {}) });
  } catch (error) {
    // The run itself failed (vitest could not start, say): not a problem in the notes.
    io.stderr(`report: ${(error as Error).message.split('\n')[0]}\n`);
    return EXIT.failure;
  }
  // Merged blobs hold every note of the sharded runs; with paths, the report is about those only.
  const modules = paths.length > 0 ? run.modules.filter((module) => notes.has(module.file)) : run.modules;
  const python = await resolvePython().then((p) => p.versionString, () => null);
  const report = buildReport({
    root,
    plans: new Map([...notes].map(([file, loaded]) => [file, loaded.plan])),
    modules,
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
    io.stderr(`report: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
  const html = await writeReportHtml(report, texts, root, outDir);
  const written = [writeReportJson(report, outDir), html].map((file) => path.relative(io.cwd, file) || file);
  if (run.errors.length > 0 && run.log.trim()) io.stderr(`${run.log.trimEnd()}\n`);
  if (values.json) io.stdout(jsonText(report));
  else {
    const summary = formatSummary(report, { written, quiet: values.quiet === true });
    io.stdout(summary.endsWith('\n') ? summary : `${summary}\n`);
  }
  return report.failed ? EXIT.problems : EXIT.clean;
}
