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
import { COMMON_HELP, type OptionSpecs } from '../cli/args.ts';
import { EXIT, jsonText, noNotesLine, unmatchedLine, startCommand, type CliIo } from '../cli/command.ts';
import type { KbConfig } from '../config/index.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { noteFromText } from '../markdown/parse.ts';
import { collectNotes } from '../notes/collect.ts';
import { planConfigured } from '../plan/configured.ts';
import type { ExamplePlan } from '../plan/types.ts';
import type { CollectedCase, CollectedModule } from '../report/collect.ts';
import { runNotes } from '../report/run.ts';
import { applyEdits, lineEdits, planEdits, type BodyUpdate, type Edit } from './edits.ts';
import { updatedOutput } from './output-block.ts';
import { transcriptChanges } from './transcript.ts';

export const USAGE = `Usage: kb update [options] [paths...]

Runs the notes (all, or the notes at or under PATHS) and rewrites in place:
stale \`output\` blocks (only the lines that no longer match: an authored
\`...\` and lines that still match stay), the output under failing prompts of
\`pycon\` and \`console\` transcripts, and blocks drifted from their includes.

  --dry-run      print the diff, write nothing
${COMMON_HELP}

Exit status: 0 every note passes afterwards, 1 a note still fails or an
example could not run (its note is left as it was), 2 bad usage, a path that
selects no note, no notes, or a run that could not start.`;

export const UPDATE_OPTIONS = {
  'dry-run': { type: 'boolean' },
} as const satisfies OptionSpecs;

/** A place in a note and what is wrong there. */
export interface UpdateProblem {
  file: string;
  line: number;
  reason: string;
}

/** `--json`: the whole output (README, "The kb command"). */
export interface UpdateJson {
  dryRun: boolean;
  /** How many notes were selected and run. */
  notes: number;
  /** Notes rewritten (with --dry-run: that would be), each with its unified diff. */
  updated: Array<{ file: string; diff: string }>;
  /** Cases that still fail after the update. */
  failures: Array<UpdateProblem & { name: string }>;
  /** Notes left as they were because an example in them could not run to its end. */
  notWritten: UpdateProblem[];
  /** Places the update would not rewrite (rule update-refused). */
  refused: UpdateProblem[];
}

/** Runner outcomes that mean the code did not run to its end: nothing it printed may be written. */
const NOT_RUN = new Set(['timeout', 'crashed', 'output-limit', 'leaked']);
/** A session's later blocks run only after its earlier blocks pass: a few passes settle a note. */
const MAX_PASSES = 4;

export async function runUpdateCli(argv: readonly string[], io: CliIo): Promise<number> {
  const started = await startCommand({ name: 'update', usage: USAGE, options: UPDATE_OPTIONS }, argv, io);
  if (typeof started === 'number') return started;
  const { values, paths, config } = started;
  const dryRun = values['dry-run'] === true;
  const json = values.json === true;
  const { files, unmatched } = collectNotes(config, paths, io.cwd);
  if (unmatched.length > 0) {
    for (const given of unmatched) io.stderr(unmatchedLine('update', given, config, io.cwd));
    return EXIT.failure;
  }
  if (files.length === 0) {
    io.stderr(noNotesLine('update', config));
    return EXIT.failure;
  }

  const rel = (file: string) => path.relative(config.root, file).split(path.sep).join('/') || file;
  const final = new Map<string, CollectedModule>();
  /** Each rewritten note: its text before the first rewrite and after the last. */
  const changes = new Map<string, { before: string; after: string }>();
  const held = new Map<string, UpdateProblem[]>();
  const refused: UpdateProblem[] = [];
  let toRun = files;
  for (let pass = 1; pass <= MAX_PASSES && toRun.length > 0; pass++) {
    const run = await runNotes({ root: config.root, config, strict: config.strict, filters: toRun });
    if (run.errors.length > 0) {
      for (const e of run.errors) io.stderr(`update: the notes could not run: ${e.split('\n')[0]}\n`);
      return EXIT.failure;
    }
    const changed: string[] = [];
    for (const module of run.modules) {
      final.set(module.file, module);
      const outcome = updateNote(module, config, dryRun);
      refused.push(...outcome.refused);
      if (outcome.held.length > 0) held.set(module.file, outcome.held);
      else held.delete(module.file);
      if (outcome.change) {
        // A note rewritten twice (a session settling) has one change in --json: from what the author had to the end.
        const { before, after } = outcome.change;
        changes.set(module.file, { before: changes.get(module.file)?.before ?? before, after });
        if (!json) io.stdout(unifiedDiff(rel(module.file), before, after));
        changed.push(module.file);
      }
    }
    toRun = dryRun ? [] : changed;
  }

  const failures: UpdateJson['failures'] = [];
  for (const module of [...final.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    for (const error of module.errors) failures.push({ file: rel(module.file), line: 1, name: 'the note', reason: `could not be loaded: ${error.split('\n')[0]}` });
    for (const c of module.cases.filter((c) => c.state === 'failed')) failures.push({ file: rel(module.file), line: c.meta?.line ?? c.line ?? 1, name: c.name, reason: firstLine(c) });
  }
  const notWritten = [...held.values()].flat();
  if (json) {
    const updated = [...changes].map(([file, { before, after }]) => ({ file: rel(file), diff: unifiedDiff(rel(file), before, after) })).sort((a, b) => (a.file < b.file ? -1 : 1));
    io.stdout(jsonText({ dryRun, notes: files.length, updated, failures, notWritten, refused } satisfies UpdateJson));
  } else {
    for (const p of refused) io.stderr(`${p.file}:${p.line}: ${p.reason} [update-refused]\n`);
    for (const [file, reasons] of held) {
      for (const p of reasons) io.stderr(`${p.file}:${p.line}: ${p.reason}\n`);
      io.stderr(`update: ${rel(file)} was not written: an example in it could not run\n`);
    }
    for (const f of failures) io.stderr(f.name === 'the note' ? `${f.file}:1: the note ${f.reason}\n` : `${f.file}:${f.line}: ${f.name} still fails: ${f.reason}\n`);
    if (!values.quiet) {
      const verb = dryRun ? 'would update' : 'updated';
      io.stdout(`update: ${verb} ${changes.size} of ${files.length} note(s)${dryRun ? ' (dry run, nothing written)' : ''}; ${failures.length === 0 && held.size === 0 ? 'every note passes' : `${failures.length} case(s) still fail`}\n`);
    }
  }
  return failures.length > 0 || held.size > 0 ? EXIT.problems : EXIT.clean;
}

function firstLine(c: CollectedCase): string {
  const message = c.errors[0] ?? c.meta?.message ?? 'failed';
  return message.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'failed';
}

/** Rewrite one note from its run: its diff when it changed; `held` says why it was left alone, `refused` what was not rewritten. */
function updateNote(module: CollectedModule, config: KbConfig, dryRun: boolean): { change?: { before: string; after: string }; held: UpdateProblem[]; refused: UpdateProblem[] } {
  const failedCases = module.cases.filter((c) => c.state === 'failed' && c.meta?.kind === 'example' && c.meta.id);
  if (failedCases.length === 0) return { held: [], refused: [] };
  const raw = readFileSync(module.file, 'utf8');
  const note = noteFromText(module.file, raw, { root: config.root });
  // The plan as the run made it: the configuration's run mode for this note (src/vitest/plugin.ts).
  const plan = planConfigured(note, config.root, config, module.file);
  const examples = new Map(plan.items.filter((i): i is ExamplePlan => i.kind === 'example').map((e) => [e.id, e]));
  const at = (line: number, reason: string): UpdateProblem => ({ file: note.relPath, line, reason });

  // Never write a note with an example that did not run to its end: what it printed is not its output.
  const held: UpdateProblem[] = [];
  for (const c of failedCases) {
    const meta = c.meta!;
    if (meta.runStatus && NOT_RUN.has(meta.runStatus)) held.push(at(meta.line, `not updated: the example ${meta.runStatus === 'output-limit' ? 'printed more than the output limit' : meta.runStatus === 'leaked' ? 'left a process or thread behind' : `could not run (${meta.runStatus})`}: ${firstLine(c)}`));
    for (const p of meta.prompts ?? []) if (p.exception?.startsWith('not run')) held.push(at(p.line, `not updated: ${p.exception}`));
  }
  if (held.length > 0) return { held, refused: [] };

  const body = note.bom ? raw.slice(1) : raw;
  const updates: BodyUpdate[] = [];
  const edits: Edit[] = [];
  const refused: UpdateProblem[] = [];
  for (const c of failedCases) {
    const meta = c.meta!;
    const example = examples.get(meta.id!);
    if (!example || !meta.updatable) {
      if (!example) refused.push(at(meta.line, 'the example changed during the run; run update again'));
      continue;
    }
    if (meta.updatable === 'include' && meta.actualOutput !== undefined) updates.push({ example, kind: 'include', text: meta.actualOutput });
    else if (meta.updatable === 'output' && meta.actualOutput !== undefined) {
      const block = example.outputs[meta.outputIndex ?? 0];
      if (!block) continue;
      const result = updatedOutput(block.text, meta.actualOutput, [...new Set([...example.options.modes, ...block.modes])]);
      if ('problem' in result) refused.push(at(block.line, `not updated: ${result.problem}`));
      else updates.push({ example, kind: 'output', text: result.text, outputIndex: meta.outputIndex });
    } else if (meta.updatable === 'transcript' && meta.prompts) {
      const { changes, problems: found } = transcriptChanges(example, meta.prompts);
      for (const p of found) refused.push(at(p.line, p.message));
      const located = lineEdits(body, example, changes);
      for (const p of located.problems) refused.push(at(p.line, p.message));
      edits.push(...located.edits);
    }
  }
  const planned = planEdits(body, updates);
  for (const p of planned.problems) refused.push(at(p.line, p.message));
  const all = [...planned.edits, ...edits].sort((a, b) => a.start - b.start);
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.start < all[i - 1]!.end) return { held: [], refused: [...refused, at(all[i]!.line, 'two updates overlap; nothing written to this note')] };
  }
  if (all.length === 0) return { held: [], refused };
  const next = (note.bom ? '\uFEFF' : '') + applyEdits(body, all);
  if (next === raw) return { held: [], refused };
  if (!dryRun) writeFileAtomicSync(module.file, next);
  return { change: { before: raw, after: next }, held: [], refused };
}

function unifiedDiff(file: string, before: string, after: string): string {
  const lines = createTwoFilesPatch(file, file, before, after, '', '', { context: 2 }).split('\n').filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: '));
  return `${lines.join('\n').trimEnd()}\n`;
}
