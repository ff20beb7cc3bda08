/**
 * `kb update`: run the notes, then rewrite what went stale
 * in place: `output` blocks (only their mismatching lines), the output under
 * failing prompts of `pycon` and `console` transcripts, and blocks that drifted
 * from their includes. Notes that changed run again (a session's later blocks
 * only run once the earlier ones pass), until nothing changes.
 *
 * Exit status: 0 every selected note passes afterwards; 1 a note still fails
 * (each failing case named at its `file:line` with the reason) or an example
 * could not run (its note is not written); 2 bad usage, a path that selects no
 * note, an unusable configuration, or a run that could not start.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { KbConfig } from '../config/index.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { noteFromText } from '../markdown/parse.ts';
import { collectNotes } from '../notes/collect.ts';
import { loadCommandConfig } from '../notes/command-config.ts';
import { extractPlan } from '../plan/extract.ts';
import type { ExamplePlan } from '../plan/types.ts';
import type { CollectedCase, CollectedModule } from '../report/collect.ts';
import { runNotes } from '../report/run.ts';
import { applyEdits, lineEdits, planEdits, type BodyUpdate, type Edit } from './edits.ts';
import { updatedOutput } from './output-block.ts';
import { transcriptChanges } from './transcript.ts';

export interface UpdateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const USAGE = `Usage: kb update [--root DIR] [--dry-run] [paths...]

Runs the notes (all, or the notes at or under PATHS) and rewrites in place:
stale \`output\` blocks (only the lines that no longer match: an authored
\`...\` and lines that still match stay), the output under failing prompts of
\`pycon\` and \`console\` transcripts, and blocks drifted from their includes.
  --root DIR   knowledge base root (default: current directory)
  --dry-run    print the diff, write nothing

Exit status: 0 every note passes afterwards, 1 a note still fails or an
example could not run (its note is left as it was), 2 bad usage, a path that
selects no note, or a run that could not start.`;

/** Runner outcomes that mean the code did not run to its end: nothing it printed may be written. */
const NOT_RUN = new Set(['timeout', 'crashed', 'output-limit', 'leaked']);
/** A session's later blocks run only after its earlier blocks pass: a few passes settle a note. */
const MAX_PASSES = 4;

interface Args {
  root: string;
  dryRun: boolean;
  paths: string[];
}

function parseArgs(argv: readonly string[], cwd: string): Args | { error: string } | 'help' {
  const args: Args = { root: cwd, dryRun: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.paths.push(...argv.slice(i + 1));
      break;
    }
    if (a === '--root' || a.startsWith('--root=')) {
      const value = a === '--root' ? argv[++i] : a.slice('--root='.length);
      if (!value || value.startsWith('-')) return { error: '--root needs a folder' };
      args.root = path.resolve(cwd, value);
    } else if (a === '--dry-run') args.dryRun = true;
    else if (a === '-h' || a === '--help') return 'help';
    else if (a.startsWith('-')) return { error: `unknown option ${a}` };
    else args.paths.push(a);
  }
  return args;
}

export async function runUpdateCli(argv: string[], io: UpdateIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const args = parseArgs(argv, cwd);
  if (args === 'help') {
    io.stdout(USAGE + '\n');
    return 0;
  }
  if ('error' in args) {
    io.stderr(`update: ${args.error}\n\n${USAGE}\n`);
    return 2;
  }
  const config = await loadCommandConfig('update', ['--root', args.root], { stderr: io.stderr, ...(io.env ? { env: io.env } : {}) });
  if (!config) return 2;
  const { files, unmatched } = collectNotes(config, args.paths, cwd);
  if (unmatched.length > 0) {
    for (const given of unmatched) io.stderr(`update: ${given}: no note there (notes are ${config.notes.join(', ')}${config.exclude.length ? `, except ${config.exclude.join(', ')}` : ''})\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`update: no notes under ${config.root} (notes are ${config.notes.join(', ')})\n`);
    return 2;
  }

  const final = new Map<string, CollectedModule>();
  const written = new Set<string>();
  const held = new Map<string, string[]>();
  let toRun = files;
  for (let pass = 1; pass <= MAX_PASSES && toRun.length > 0; pass++) {
    const run = await runNotes({ root: config.root, config, strict: config.strict, filters: toRun });
    if (run.errors.length > 0) {
      for (const e of run.errors) io.stderr(`update: the notes could not run: ${e.split('\n')[0]}\n`);
      return 2;
    }
    const changed: string[] = [];
    for (const module of run.modules) {
      final.set(module.file, module);
      const outcome = updateNote(module, config, args.dryRun, io);
      if (outcome.held.length > 0) held.set(module.file, outcome.held);
      else held.delete(module.file);
      if (outcome.changed) {
        written.add(module.file);
        changed.push(module.file);
      }
    }
    toRun = args.dryRun ? [] : changed;
  }

  const rel = (file: string) => path.relative(config.root, file).split(path.sep).join('/') || file;
  let failing = 0;
  for (const [file, reasons] of held) {
    for (const reason of reasons) io.stderr(`${reason}\n`);
    io.stderr(`update: ${rel(file)} was not written: an example in it could not run\n`);
  }
  for (const module of [...final.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    for (const error of module.errors) {
      failing++;
      io.stderr(`${rel(module.file)}:1: the note could not be loaded: ${error.split('\n')[0]}\n`);
    }
    for (const c of module.cases.filter((c) => c.state === 'failed')) {
      failing++;
      io.stderr(`${rel(module.file)}:${c.meta?.line ?? c.line ?? 1}: ${c.name} still fails: ${firstLine(c)}\n`);
    }
  }
  const verb = args.dryRun ? 'would update' : 'updated';
  io.stdout(`update: ${verb} ${written.size} of ${files.length} note(s)${args.dryRun ? ' (dry run, nothing written)' : ''}; ${failing === 0 && held.size === 0 ? 'every note passes' : `${failing} case(s) still fail`}\n`);
  return failing > 0 || held.size > 0 ? 1 : 0;
}

function firstLine(c: CollectedCase): string {
  const message = c.errors[0] ?? c.meta?.message ?? 'failed';
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'failed';
}

/** Rewrite one note from its run; `held` lists why it was left alone. */
function updateNote(module: CollectedModule, config: KbConfig, dryRun: boolean, io: UpdateIo): { changed: boolean; held: string[] } {
  const failedCases = module.cases.filter((c) => c.state === 'failed' && c.meta?.kind === 'example' && c.meta.id);
  if (failedCases.length === 0) return { changed: false, held: [] };
  const raw = readFileSync(module.file, 'utf8');
  const note = noteFromText(module.file, raw, { root: config.root });
  const plan = extractPlan(note, { root: config.root });
  const examples = new Map(plan.items.filter((i): i is ExamplePlan => i.kind === 'example').map((e) => [e.id, e]));
  const at = (line: number) => `${note.relPath}:${line}`;

  // Never write a note with an example that did not run to its end: what it printed is not its output.
  const held: string[] = [];
  for (const c of failedCases) {
    const meta = c.meta!;
    if (meta.runStatus && NOT_RUN.has(meta.runStatus)) held.push(`${at(meta.line)}: not updated: the example ${meta.runStatus === 'output-limit' ? 'printed more than the output limit' : meta.runStatus === 'leaked' ? 'left a process or thread behind' : `could not run (${meta.runStatus})`}: ${firstLine(c)}`);
    for (const p of meta.prompts ?? []) if (p.exception?.startsWith('not run')) held.push(`${at(p.line)}: not updated: ${p.exception}`);
  }
  if (held.length > 0) return { changed: false, held };

  const body = note.bom ? raw.slice(1) : raw;
  const updates: BodyUpdate[] = [];
  const edits: Edit[] = [];
  const problems: string[] = [];
  for (const c of failedCases) {
    const meta = c.meta!;
    const example = examples.get(meta.id!);
    if (!example || !meta.updatable) {
      if (!example) problems.push(`${at(meta.line)}: the example changed during the run; run update again [update-refused]`);
      continue;
    }
    if (meta.updatable === 'include' && meta.actualOutput !== undefined) updates.push({ example, kind: 'include', text: meta.actualOutput });
    else if (meta.updatable === 'output' && meta.actualOutput !== undefined) {
      const block = example.outputs[meta.outputIndex ?? 0];
      if (!block) continue;
      const result = updatedOutput(block.text, meta.actualOutput, [...new Set([...example.options.modes, ...block.modes])]);
      if ('problem' in result) problems.push(`${at(block.line)}: not updated: ${result.problem} [update-refused]`);
      else updates.push({ example, kind: 'output', text: result.text, outputIndex: meta.outputIndex });
    } else if (meta.updatable === 'transcript' && meta.prompts) {
      const { changes, problems: found } = transcriptChanges(example, meta.prompts);
      for (const p of found) problems.push(`${at(p.line)}: ${p.message} [update-refused]`);
      const located = lineEdits(body, example, changes);
      for (const p of located.problems) problems.push(`${at(p.line)}: ${p.message} [update-refused]`);
      edits.push(...located.edits);
    }
  }
  const planned = planEdits(body, updates);
  for (const p of planned.problems) problems.push(`${at(p.line)}: ${p.message} [update-refused]`);
  for (const p of problems) io.stderr(`${p}\n`);
  const all = [...planned.edits, ...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.start < all[i - 1]!.end) {
      io.stderr(`${at(all[i]!.line)}: two updates overlap; nothing written to this note [update-refused]\n`);
      return { changed: false, held: [] };
    }
  }
  if (all.length === 0) return { changed: false, held: [] };
  const next = (note.bom ? '\uFEFF' : '') + applyEdits(body, all);
  if (next === raw) return { changed: false, held: [] };
  io.stdout(createTwoFilesPatch(note.relPath, note.relPath, raw, next, '', '', { context: 2 }).split('\n').filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: ')).join('\n'));
  if (!dryRun) writeFileAtomicSync(module.file, next);
  return { changed: true, held: [] };
}
