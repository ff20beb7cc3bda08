/**
 * `npm run update [-- paths...]`: run the notes, then rewrite the `output`
 * blocks of examples whose output differs and the blocks that drifted from
 * their includes. Prints a diff of every change; a second run changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { noteFromText } from '../markdown/parse.ts';
import { extractPlan } from '../plan/extract.ts';
import type { ExamplePlan } from '../plan/types.ts';
import { runNotes } from '../report/run.ts';
import { applyEdits, planEdits, type BodyUpdate } from './edits.ts';

export interface UpdateIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage: npm run update -- [--root DIR] [--dry-run] [paths...]

Runs the notes (all, or those whose path contains one of PATHS) and rewrites
stale \`output\` blocks and blocks drifted from their includes, in place.
  --root DIR   knowledge base root (default: current directory)
  --dry-run    print the diff, write nothing`;

export async function runUpdateCli(argv: string[], io: UpdateIo): Promise<number> {
  let root = process.cwd();
  let dryRun = false;
  const filters: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--root') {
      const value = argv[++i];
      if (!value) {
        io.stderr(`update: --root needs a folder\n\n${USAGE}\n`);
        return 2;
      }
      root = path.resolve(value);
    }
    else if (a === '--dry-run') dryRun = true;
    else if (a === '-h' || a === '--help') {
      io.stdout(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) {
      io.stderr(`update: unknown option ${a}\n\n${USAGE}\n`);
      return 2;
    } else filters.push(a);
  }
  const run = await runNotes({ root, strict: false, filters });
  for (const e of run.errors) io.stderr(`update: ${e}\n`);
  let changedFiles = 0;
  let problems = 0;
  for (const module of run.modules) {
    const wanted = module.cases.filter((c) => c.state === 'failed' && c.meta?.updatable && c.meta.actualOutput !== undefined && c.meta.id);
    if (wanted.length === 0) continue;
    const raw = readFileSync(module.file, 'utf8');
    const note = noteFromText(module.file, raw, { root });
    const plan = extractPlan(note, { root });
    const examples = new Map(plan.items.filter((i): i is ExamplePlan => i.kind === 'example').map((e) => [e.id, e]));
    const updates: BodyUpdate[] = [];
    for (const c of wanted) {
      const example = examples.get(c.meta!.id!);
      if (!example) {
        io.stderr(`${note.relPath}: the example ${c.meta!.id} changed during the run; rerun update\n`);
        problems++;
        continue;
      }
      updates.push({ example, kind: c.meta!.updatable!, text: c.meta!.actualOutput!, outputIndex: c.meta!.outputIndex });
    }
    const bom = note.bom ? '\uFEFF' : '';
    const body = bom ? raw.slice(1) : raw;
    const { edits, problems: editProblems } = planEdits(body, updates);
    for (const p of editProblems) io.stderr(`${note.relPath}:${p.line}:1: ${p.message} [update-refused]\n`);
    problems += editProblems.length;
    if (editProblems.length > 0 || edits.length === 0) continue;
    const next = bom + applyEdits(body, edits);
    io.stdout(createTwoFilesPatch(note.relPath, note.relPath, raw, next, '', '', { context: 2 }).split('\n').filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: ')).join('\n'));
    if (!dryRun) {
      writeFileAtomicSync(module.file, next);
      changedFiles++;
    }
  }
  io.stdout(dryRun ? 'update: dry run, nothing written\n' : `update: ${changedFiles} note(s) updated\n`);
  return problems > 0 ? 1 : 0;
}
