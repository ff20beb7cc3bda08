/**
 * `npm run toc -- [--check] [paths...]`: regenerate (or check) the TOC of
 * each note and the knowledge-base index. Every note is read and parsed once,
 * in this one process; files are written atomically, only when they change.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import type { VFileMessage } from 'vfile-message';
import { formatDiagnostic } from '../diagnostics/index.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { NESTING_RULE } from '../markdown/nesting.ts';
import { type Note, noteFromText, toRelPath } from '../markdown/parse.ts';
import { defaultConfig } from '../config/schema.ts';
import { collectNotes, type NotesConfig } from '../notes/collect.ts';
import { resolveInputs } from './files.ts';
import { checkIndex, type IndexCheck, indexUpdateFromPlan, planIndex, updateIndex } from './kb-index.ts';
import { scanNotes } from '../markdown/outline/index.ts';
import { checkToc, planToc, updateToc } from './toc.ts';

export const USAGE = `Usage: npm run toc -- [options] [paths...]

Regenerates tables of contents where a note asks for one: between
<!-- toc --> and <!-- tocstop --> (markdown-toc's too), between doctoc's
<!-- START doctoc --> and <!-- END doctoc -->, or as the list under a
"Table of contents" / "Contents" / "TOC" heading whose entries all link to
headings of the same page. A list or prose of the author's under such a
heading is left alone, with a warning saying why. An existing TOC keeps its
style (bullets, indentation, numbering, depths, its own heading, code).
Also regenerates the index of notes/README.md (<!-- index --> … <!-- indexstop -->).

  paths         files or folders (folders: every **/*.md inside).
                Default: every notes/**/*.md, plus the index of notes/README.md.
  --check       change nothing; print a diff and one line per wrong, missing
                or extra entry; exit 1 when a TOC or the index is stale
  --index       also do the index when paths are given
  --no-index    skip the index
  --root DIR    repository root (default: the current directory)
  -q, --quiet   print problems only
  -h, --help    show this help

Exit status: 0 all current (or updated), 1 stale (--check) or an error in a
note, 2 bad usage or a path that does not exist. Warnings never change it.`;

export interface CliIo {
  cwd: string;
  /** Which files are notes (the loaded configuration); default: the default configuration at the root. */
  notes?: NotesConfig;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Args {
  check: boolean;
  index: boolean | undefined;
  root: string | undefined;
  quiet: boolean;
  help: boolean;
  paths: string[];
}

const OPTIONS = ['--check', '--index', '--no-index', '--root', '--quiet', '--help'];

function didYouMean(arg: string): string {
  const name = arg.split('=')[0] as string;
  const best = OPTIONS.map((option) => ({ option, cost: distance(name, option) })).sort((a, b) => a.cost - b.cost)[0];
  return best && best.cost <= 2 ? ` (did you mean ${best.option}?)` : '';
}

export function parseArgs(argv: readonly string[]): Args | { error: string } {
  const args: Args = { check: false, index: undefined, root: undefined, quiet: false, help: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--check') args.check = true;
    else if (arg === '--index') args.index = true;
    else if (arg === '--no-index') args.index = false;
    else if (arg === '-q' || arg === '--quiet') args.quiet = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--root' || arg.startsWith('--root=')) {
      const value = arg === '--root' ? argv[++i] : arg.slice('--root='.length);
      if (!value) return { error: '--root needs a folder' };
      args.root = value;
    } else if (arg.startsWith('-') && arg !== '-') return { error: `unknown option ${arg}${didYouMean(arg)}` };
    else args.paths.push(arg);
  }
  return args;
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

interface IndexContext {
  root: string;
  notesDir: string;
  readmePath: string;
  byDefault: boolean;
  /** The notes parsed for their TOCs; with the default paths, that is every note, so the index reuses them. */
  notes: readonly Note[];
}

/** Check or regenerate notes/README.md's index; returns a word for the summary line. */
function runIndex(args: Args, io: CliIo, ctx: IndexContext, tally: Tally): string {
  if (!existsSync(ctx.notesDir)) return 'no notes folder, no index';
  const readmeRel = toRelPath(ctx.root, ctx.readmePath);
  const readme = existsSync(ctx.readmePath) ? noteFromText(ctx.readmePath, readFileSync(ctx.readmePath, 'utf8'), { root: ctx.root }) : undefined;
  const plan = (): IndexCheck & { created: boolean } => planIndex(readme, ctx.readmePath, readmeRel, ctx.notes, ctx.notesDir);
  if (args.check) {
    const result = ctx.byDefault ? plan() : checkIndex(ctx.root);
    if (result.status === 'stale' || result.status === 'error') {
      tally.indexFailed = true;
      printMessages(io, result.diagnostics);
      if (result.diff) io.stdout(result.diff);
    }
    return `index ${result.status}`;
  }
  const result = ctx.byDefault ? indexUpdateFromPlan(plan(), readme) : updateIndex(ctx.root);
  if (result.diagnostics.length > 0) {
    tally.indexFailed = true;
    printMessages(io, result.diagnostics);
    return 'index error';
  }
  if (!result.changed) return 'index current';
  writeFileAtomicSync(result.path, result.text);
  if (!args.quiet) io.stdout(`${result.created ? 'created' : 'updated'} ${readmeRel}`);
  return result.created ? 'index created' : 'index updated';
}

function printMessages(io: CliIo, messages: readonly VFileMessage[]): void {
  for (const message of messages) io.stdout(formatDiagnostic(message));
}

export function runTocCli(argv: readonly string[], io: CliIo): number {
  const args = parseArgs(argv);
  if ('error' in args) {
    io.stderr(`toc: ${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  const root = path.resolve(io.cwd, args.root ?? '.');
  const notesDir = path.join(root, 'notes');
  const readmePath = path.join(notesDir, 'README.md');
  const byDefault = args.paths.length === 0;
  const notesConfig = io.notes && path.resolve(io.notes.root) === root ? io.notes : defaultConfig(root);
  let files: string[];
  if (byDefault) {
    // The same notes as vitest and every other command (src/notes/collect.ts); the index file is done apart.
    files = collectNotes(notesConfig).files.filter((file) => file !== readmePath);
  } else {
    const inputs = resolveInputs(args.paths, io.cwd, (dir) => collectNotes(notesConfig, [dir]).files);
    if (inputs.missing.length > 0 || inputs.empty.length > 0) {
      for (const missing of inputs.missing) io.stderr(`toc: ${missing}: no such file or directory`);
      // A folder outside the configured notes would otherwise pass as "0 notes", checked by nobody.
      for (const empty of inputs.empty) {
        io.stderr(`toc: ${empty}: no note there (notes are ${notesConfig.notes.join(', ')}); give the files themselves, or set "notes" in the configuration (e.g. kb.config.json {"notes": ["**/*.md"]})`);
      }
      return 2;
    }
    files = inputs.files;
  }

  const tally: Tally = { current: 0, stale: 0, updated: 0, absent: 0, errors: 0, warnings: 0, parseProblems: 0, indexFailed: false };
  const needIndex = args.index ?? byDefault;
  const notes: Note[] = [];
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  // Fast path: the line scanner's outline (see scan.ts), resolved for all notes at once.
  // It is trusted to say "current" or "absent"; a stale TOC is explained on the outline
  // with its lists parsed; errors, and notes the scanner is unsure about, get the full parse.
  const outlines = scanNotes(
    files.map((file, index) => ({ path: file, text: texts[index] as string })),
    { root, summary: needIndex },
  );
  for (const [index, file] of files.entries()) {
    const outline = outlines[index];
    // The outline's lists carry no items, so it is only trusted to say "no TOC here, nothing to warn about".
    const plan = outline ? planToc(outline) : undefined;
    if (outline && plan?.status === 'absent' && plan.warnings.length === 0) {
      notes.push(outline);
      tally.absent++;
      continue;
    }
    const note = noteFromText(file, texts[index] as string, { root });
    notes.push(note);
    // Problems of the parse itself (nesting past the limit): the rest of the note still gets its TOC.
    const parseProblems = note.file.messages.filter((message) => message.ruleId === NESTING_RULE);
    if (parseProblems.length > 0) {
      tally.parseProblems++;
      printMessages(io, parseProblems);
    }
    if (args.check) {
      const result = checkToc(note);
      tally.warnings += result.warnings.length;
      printMessages(io, result.warnings);
      if (result.status === 'stale') {
        tally.stale++;
        printMessages(io, result.diagnostics);
        if (result.diff) io.stdout(result.diff);
      } else if (result.status === 'error') {
        tally.errors++;
        printMessages(io, result.diagnostics);
      } else tally[result.status]++;
      continue;
    }
    const result = updateToc(note);
    tally.warnings += result.warnings.length;
    printMessages(io, result.warnings);
    if (result.diagnostics.length > 0) {
      tally.errors++;
      printMessages(io, result.diagnostics);
    } else if (result.changed) {
      writeFileAtomicSync(file, result.text);
      tally.updated++;
      if (!args.quiet) io.stdout(`updated ${note.relPath}`);
    } else tally[result.status === 'absent' ? 'absent' : 'current']++;
  }

  // The index lists the notes of the notes folder (as its own check does), not every note of the project.
  const indexed = notes.filter((note) => path.resolve(note.path).startsWith(notesDir + path.sep));
  const indexState = needIndex ? runIndex(args, io, { root, notesDir, readmePath, byDefault, notes: indexed }, tally) : '';

  if (!args.quiet) {
    const parts = args.check
      ? [`${tally.current} current`, `${tally.stale} stale`, `${tally.absent} without TOC`]
      : [`${tally.updated} updated`, `${tally.current + tally.absent} unchanged`];
    parts.push(`${tally.errors} with errors`);
    if (tally.warnings > 0) parts.push(`${tally.warnings} warning${tally.warnings === 1 ? '' : 's'}`);
    io.stdout(`toc: ${files.length} note${files.length === 1 ? '' : 's'}: ${parts.join(', ')}${indexState ? `; ${indexState}` : ''}`);
  }
  return tally.errors > 0 || tally.parseProblems > 0 || tally.indexFailed || (args.check && tally.stale > 0) ? 1 : 0;
}
