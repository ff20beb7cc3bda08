/**
 * `npm run report -- [options]`: run every note with vitest, then write the
 * report (JSON and HTML) and print a summary. The exit status is the test
 * run's, so the report can replace `npm test` for the notes in CI.
 */
import path from 'node:path';
import { resolvePython } from '../run/runners/python/interpreter.ts';
import { buildReport } from './build.ts';
import { writeReportHtml } from './html/index.ts';
import { writeReportJson } from './json.ts';
import { loadNotes } from './notes.ts';
import { NOTE_PATTERNS, runNotes } from './run.ts';
import { formatSummary } from './terminal.ts';

export const DEFAULT_OUT = '.kb/report';

export const USAGE = `Usage: npm run report -- [options]

Runs every note (notes/**/*.md and README.md) with vitest and writes
  <out>/report.json   the knowledge base's figures (schema: src/report/schema.ts)
  <out>/index.html    one self-contained page: every note with its claims marked
then prints a summary per note.

  --root DIR    knowledge base root, the folder holding notes/ (default: .)
  --out DIR     where to write the report (default: <root>/${DEFAULT_OUT})
  --strict      cited-only and no-evidence claims fail (same as KB_STRICT=1)
  -q, --quiet   print the totals only
  -h, --help    show this help

Exit status: 0 every test passed, 1 a test failed, 2 bad usage, no notes, or the run
itself failed (an internal error).`;

export interface ReportArgs {
  root: string;
  out: string | undefined;
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

export function parseReportArgs(argv: readonly string[]): ReportArgs | { error: string } {
  const args: ReportArgs = { root: '.', out: undefined, strict: false, quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const valued = /^--(root|out)(?:=(.*))?$/.exec(arg);
    if (valued) {
      const value = valued[2] ?? argv[++i];
      if (!value || (valued[2] === undefined && value.startsWith('-'))) return { error: `--${valued[1]} needs a folder` };
      if (valued[1] === 'root') args.root = value;
      else args.out = value;
    } else if (arg === '--strict') args.strict = true;
    else if (arg === '-q' || arg === '--quiet') args.quiet = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else return { error: arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}` };
  }
  return args;
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
  const strict = args.strict || /^(1|true|yes)$/i.test(io.env['KB_STRICT'] ?? '');
  const notes = loadNotes(root, NOTE_PATTERNS);
  if (notes.size === 0) {
    io.stderr(`report: no notes under ${root} (looked for ${NOTE_PATTERNS.join(', ')}); give the repository root with --root`);
    return 2;
  }
  let run;
  try {
    run = await runNotes({ root, strict });
  } catch (error) {
    // The run itself failed (vitest could not start, say): not a problem in the notes.
    io.stderr(`report: ${(error as Error).message.split('\n')[0]}`);
    return 2;
  }
  const python = await resolvePython().then((p) => p.versionString, () => null);
  const report = buildReport({
    plans: new Map([...notes].map(([file, loaded]) => [file, loaded.plan])),
    modules: run.modules,
    runErrors: run.errors,
    python,
    strict,
    generatedAt: new Date(),
  });
  const texts = new Map([...notes.values()].map(({ note, plan }) => [plan.path, note.text]));
  const written = [writeReportJson(report, outDir), writeReportHtml(report, texts, root, outDir)].map((file) => path.relative(io.cwd, file) || file);
  if (run.errors.length > 0 && run.log.trim()) io.stderr(run.log.trimEnd());
  const summary = formatSummary(report, written);
  io.stdout(args.quiet ? summary.slice(summary.indexOf('\nTotals') + 1) : summary);
  return report.failed ? 1 : 0;
}
