/**
 * `kb toc [--check] [paths...]`: regenerate (or check) the TOC of
 * each note and the knowledge-base index. Every note is read and parsed once,
 * in this one process; files are written atomically, only when they change.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { VFileMessage } from 'vfile-message';
import { COMMON_HELP, type OptionSpecs } from '../cli/args.ts';
import { EXIT, jsonProblem, jsonText, noNotesLine, startCommand, usageLine, type CliIo, type JsonProblem } from '../cli/command.ts';
import type { KbConfig } from '../config/schema.ts';
import { formatDiagnostic, toPlain } from '../diagnostics/index.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { NESTING_RULE } from '../markdown/nesting.ts';
import { type Note, noteFromText, toRelPath } from '../markdown/parse.ts';
import { collectNotes } from '../notes/collect.ts';
import { listMarkdown, resolveInputs } from './files.ts';
import { indexUpdateFromPlan, planIndex } from './kb-index.ts';
import { scanNotes } from '../markdown/outline/index.ts';
import { fastTocNotes } from './fast-note.ts';
import { checkToc, planToc, updateToc } from './toc.ts';

export const USAGE = `Usage: kb toc [options] [paths...]

Regenerates tables of contents where a note asks for one: between
<!-- toc --> and <!-- tocstop --> (markdown-toc's too), between doctoc's
<!-- START doctoc --> and <!-- END doctoc -->, or as the list under a
"Table of contents" / "Contents" / "TOC" heading whose entries all link to
headings of the same page. A list or prose of the author's under such a
heading is left alone, with a warning saying why. An existing TOC keeps its
style (bullets, indentation, numbering, depths, its own heading, code).
When the configuration names a notes index ("index": "notes/README.md"),
also regenerates it (<!-- index --> … <!-- indexstop -->).

  paths          files or folders (folders: the notes inside).
                 Default: every note of the configuration, and the index.
  --check        change nothing; print a diff and one line per wrong, missing
                 or extra entry; exit 1 when a TOC or the index is stale
  --index        also do the index when paths are given
  --no-index     skip the index
${COMMON_HELP}

Exit status: 0 all current (or updated), 1 stale (--check) or an error in a
note, 2 bad usage, a path that does not exist, or no notes. Warnings never
change it.`;

export const TOC_OPTIONS = {
  check: { type: 'boolean' },
  index: { type: 'boolean', negatable: true },
} as const satisfies OptionSpecs;

/** `--json`: one problem (the same shape as `kb links --json`). */
export type TocJsonProblem = JsonProblem;

export type TocFileStatus = 'current' | 'stale' | 'updated' | 'absent' | 'error';

/** `--json`: the whole output (README, "The kb command"). */
export interface TocJson {
  check: boolean;
  notes: number;
  current: number;
  stale: number;
  updated: number;
  absent: number;
  errors: number;
  warnings: number;
  /** The notes index: null when none is configured or asked for. */
  index: { file: string; status: 'current' | 'stale' | 'created' | 'updated' | 'error' } | null;
  files: Array<{ file: string; status: TocFileStatus; diff?: string }>;
  problems: TocJsonProblem[];
}

interface Args {
  check: boolean;
  index: boolean | undefined;
  quiet: boolean;
  json: boolean;
}

interface Tally {
  current: number;
  stale: number;
  updated: number;
  absent: number;
  errors: number;
  /** Places left alone with a reason; they never change the exit status. */
  warnings: number;
  /** Notes whose parse found a problem (nesting too deep). */
  parseProblems: number;
  /** The index is stale or broken (counted apart from the notes). */
  indexFailed: boolean;
}

/** Where the text goes: lines on stdout, or (with --json) gathered into one document. */
class Output {
  readonly problems: TocJsonProblem[] = [];
  readonly files: TocJson['files'] = [];
  constructor(private readonly io: CliIo, private readonly json: boolean) {}

  messages(messages: readonly VFileMessage[], severity: 'error' | 'warning'): void {
    for (const message of messages) {
      this.problem(jsonProblem(toPlain(message), severity));
    }
  }

  problem(problem: TocJsonProblem): void {
    if (this.json) this.problems.push(problem);
    else this.io.stdout(`${formatDiagnostic({ ...problem, fatal: problem.severity === 'error' })}\n`);
  }

  diff(text: string | undefined): void {
    if (text && !this.json) this.io.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  line(text: string): void {
    if (!this.json) this.io.stdout(`${text}\n`);
  }
}

interface IndexContext {
  root: string;
  /** The index note and the folder whose notes it lists. */
  readmePath: string;
  notesDir: string;
  /** The notes of the notes folder, when every one was parsed for its TOC already. */
  notes: readonly Note[] | undefined;
}

type IndexStatus = NonNullable<TocJson['index']>['status'];

/** Check or regenerate the notes index. */
function runIndex(args: Args, out: Output, ctx: IndexContext, tally: Tally): IndexStatus {
  const readmeRel = toRelPath(ctx.root, ctx.readmePath);
  if (!existsSync(ctx.notesDir)) {
    tally.indexFailed = true;
    out.problem({ file: readmeRel, line: 1, column: 1, ruleId: 'index-missing', reason: 'the notes index\'s folder does not exist; create it, or change "index" in the configuration', severity: 'error' });
    return 'error';
  }
  const readme = existsSync(ctx.readmePath) ? noteFromText(ctx.readmePath, readFileSync(ctx.readmePath, 'utf8'), { root: ctx.root }) : undefined;
  const notes = ctx.notes ?? listMarkdown(ctx.notesDir).filter((file) => file !== ctx.readmePath).map((file) => noteFromText(file, readFileSync(file, 'utf8'), { root: ctx.root }));
  const plan = planIndex(readme, ctx.readmePath, readmeRel, notes, ctx.notesDir);
  if (args.check) {
    if (plan.status === 'stale' || plan.status === 'error') {
      tally.indexFailed = true;
      out.messages(plan.diagnostics, 'error');
      out.diff(plan.diff);
    }
    return plan.status === 'absent' ? 'current' : plan.status;
  }
  const result = indexUpdateFromPlan(plan, readme);
  if (result.diagnostics.length > 0) {
    tally.indexFailed = true;
    out.messages(result.diagnostics, 'error');
    return 'error';
  }
  if (!result.changed) return 'current';
  writeFileAtomicSync(result.path, result.text);
  if (!args.quiet) out.line(`${result.created ? 'created' : 'updated'} ${readmeRel}`);
  return result.created ? 'created' : 'updated';
}

export async function runTocCli(argv: readonly string[], io: CliIo): Promise<number> {
  const started = await startCommand({ name: 'toc', usage: USAGE, options: TOC_OPTIONS }, argv, io);
  if (typeof started === 'number') return started;
  const { values, paths, config } = started;
  const args: Args = { check: values.check === true, index: values.index, quiet: values.quiet === true, json: values.json === true };
  const root = config.root;
  const indexFile = config.index === false ? undefined : path.resolve(root, config.index.file);
  if (args.index === true && !indexFile) {
    io.stderr(usageLine('toc', '--index: no notes index is configured; name its file in the configuration, e.g. {"index": "notes/README.md"}'));
    return EXIT.failure;
  }
  const byDefault = paths.length === 0;
  let files: string[];
  if (byDefault) {
    // The same notes as vitest and every other command (src/notes/collect.ts); the index file is done apart.
    files = collectNotes(config).files.filter((file) => file !== indexFile);
    if (files.length === 0 && !indexFile) {
      io.stderr(noNotesLine('toc', config));
      return EXIT.failure;
    }
  } else {
    const inputs = resolveInputs(paths, io.cwd, (dir) => collectNotes(config, [dir]).files);
    if (inputs.missing.length > 0 || inputs.empty.length > 0) {
      for (const missing of inputs.missing) io.stderr(usageLine('toc', `no such file or folder: ${missing}`));
      // A folder outside the configured notes would otherwise pass as "0 notes", checked by nobody.
      for (const empty of inputs.empty) io.stderr(`toc: ${empty}: no note there (notes are ${config.notes.join(', ')}); give the files themselves, or set "notes" in the configuration (e.g. kb.config.json {"notes": ["**/*.md"]})\n`);
      return EXIT.failure;
    }
    files = inputs.files;
  }
  return tocFiles(files, { args, io, config, indexFile, byDefault });
}

function tocFiles(files: string[], context: { args: Args; io: CliIo; config: KbConfig; indexFile: string | undefined; byDefault: boolean }): number {
  const { args, io, config, indexFile, byDefault } = context;
  const root = config.root;
  const out = new Output(io, args.json);
  const tally: Tally = { current: 0, stale: 0, updated: 0, absent: 0, errors: 0, warnings: 0, parseProblems: 0, indexFailed: false };
  const needIndex = indexFile !== undefined && (args.index ?? byDefault);
  const notes: Note[] = [];
  const status = (file: string, value: TocFileStatus, diff?: string) => out.files.push({ file: toRelPath(root, file), status: value, ...(diff && args.json ? { diff } : {}) });
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  // Fast path: the line scanner's outline (src/markdown/outline/), resolved for all notes at once.
  // A note without a TOC needs nothing more; one with a TOC gets the outline made exact where
  // the TOC code reads it (fast-note.ts); notes the scanner is unsure about get the full parse.
  const outlines = scanNotes(
    files.map((file, index) => ({ path: file, text: texts[index] as string })),
    { root, summary: needIndex },
  );
  // The outline's lists carry no items: alone it is only trusted to say "no TOC here, nothing to warn about".
  const absent = outlines.map((outline) => {
    const plan = outline ? planToc(outline) : undefined;
    return plan?.status === 'absent' && plan.warnings.length === 0;
  });
  const exact = fastTocNotes(outlines.map((outline, index) => (absent[index] ? undefined : outline)));
  for (const [index, file] of files.entries()) {
    const outline = outlines[index];
    if (outline && absent[index]) {
      notes.push(outline);
      tally.absent++;
      status(file, 'absent');
      continue;
    }
    const note = exact[index] ?? noteFromText(file, texts[index] as string, { root });
    notes.push(note);
    // Problems of the parse itself (nesting past the limit): the rest of the note still gets its TOC.
    const parseProblems = note.file.messages.filter((message) => message.ruleId === NESTING_RULE);
    if (parseProblems.length > 0) {
      tally.parseProblems++;
      out.messages(parseProblems, 'error');
    }
    if (args.check) {
      const result = checkToc(note);
      tally.warnings += result.warnings.length;
      out.messages(result.warnings, 'warning');
      if (result.status === 'stale') {
        tally.stale++;
        out.messages(result.diagnostics, 'error');
        out.diff(result.diff);
      } else if (result.status === 'error') {
        tally.errors++;
        out.messages(result.diagnostics, 'error');
      } else tally[result.status]++;
      status(file, result.status, result.diff);
      continue;
    }
    const result = updateToc(note);
    tally.warnings += result.warnings.length;
    out.messages(result.warnings, 'warning');
    if (result.diagnostics.length > 0) {
      tally.errors++;
      out.messages(result.diagnostics, 'error');
      status(file, 'error');
    } else if (result.changed) {
      writeFileAtomicSync(file, result.text);
      tally.updated++;
      status(file, 'updated');
      if (!args.quiet) out.line(`updated ${note.relPath}`);
    } else {
      tally[result.status === 'absent' ? 'absent' : 'current']++;
      status(file, result.status === 'absent' ? 'absent' : 'current');
    }
  }

  let index: TocJson['index'] = null;
  if (needIndex) {
    // The index lists the notes of its folder (as its own check does), not every note of the project.
    const notesDir = path.dirname(indexFile);
    const indexed = byDefault ? notes.filter((note) => path.resolve(note.path).startsWith(notesDir + path.sep)) : undefined;
    index = { file: toRelPath(root, indexFile), status: runIndex(args, out, { root, notesDir, readmePath: indexFile, notes: indexed }, tally) };
  }

  const failed = tally.errors > 0 || tally.parseProblems > 0 || tally.indexFailed || (args.check && tally.stale > 0);
  if (args.json) {
    const { current, stale, updated, absent, errors, warnings } = tally;
    io.stdout(jsonText({ check: args.check, notes: files.length, current, stale, updated, absent, errors, warnings, index, files: out.files, problems: out.problems } satisfies TocJson));
  } else if (!args.quiet) {
    const parts = args.check
      ? [`${tally.current} current`, `${tally.stale} stale`, `${tally.absent} without TOC`]
      : [`${tally.updated} updated`, `${tally.current + tally.absent} unchanged`];
    parts.push(`${tally.errors} with errors`);
    if (tally.warnings > 0) parts.push(`${tally.warnings} warning${tally.warnings === 1 ? '' : 's'}`);
    io.stdout(`toc: ${files.length} note${files.length === 1 ? '' : 's'}: ${parts.join(', ')}${index ? `; index ${index.status}` : ''}\n`);
  }
  return failed ? EXIT.problems : EXIT.clean;
}
