/**
 * `kb mutate [paths...]`: is each claim's evidence bound to what it claims?
 * Changes one expected value at a time (see mutations.ts), runs the claim's
 * evidence, and lists the changes that still pass. Saves the result to
 * `<root>/.kb/mutations.json`, which `kb report` shows as its `mutations`
 * section.
 *
 * Exit status: 0 no mutation survives, 1 some do, 2 bad usage, a path that
 * selects no note, an unusable configuration, or a run that could not start.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { KbConfig } from '../config/index.ts';
import { closest } from '../config/suggest.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { collectNotes } from '../notes/collect.ts';
import { loadCommandConfig } from '../notes/command-config.ts';
import { loadNotes } from '../report/notes.ts';
import { sharedPool } from '../run/runners/python/pool.ts';
import { closeLanes } from '../run/runners/shell/lane.ts';
import type { RunSettings } from '../run/settings.ts';
import globalSetup from '../vitest/global-setup.ts';
import { DEFAULT_LIMIT } from './mutations.ts';
import { MUTATIONS_FILE, type MutationResult } from './result.ts';
import { mutateNote, type NoteMutations } from './run.ts';

export const USAGE = `Usage: kb mutate [options] [paths...]

For each claim with executable evidence, changes one expected value at a time
(an output line, raises=, exit=, a literal in an assert), runs the claim's
evidence, and lists each change that still passes: evidence that does not
check what it claims. Saves the result to <root>/${MUTATIONS_FILE}, which
\`kb report\` shows.

  --root DIR     knowledge base root (default: .)
  --limit N      at most N mutations per claim (default: ${DEFAULT_LIMIT})
  --json         print the result as JSON instead of lines
  -h, --help     show this help

Exit status: 0 no mutation survives, 1 some survive, 2 bad usage.`;

export interface MutateIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const OPTIONS = {
  root: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface Args {
  root: string;
  limit: number;
  json: boolean;
  help: boolean;
  paths: string[];
}

export function parseMutateArgs(argv: readonly string[]): Args | { error: string } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    const limit = values.limit === undefined ? DEFAULT_LIMIT : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1) return { error: `--limit needs a whole number of 1 or more, not "${values.limit}"` };
    if (values.root === '') return { error: '--root needs a folder' };
    return { root: values.root ?? '.', limit, json: values.json ?? false, help: values.help ?? false, paths: positionals };
  } catch (error) {
    const e = error as Error & { code?: string };
    const unknown = /Unknown option '([^']+)'/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const known = Object.entries(OPTIONS).flatMap(([name, o]) => [`--${name}`, ...('short' in o ? [`-${o.short}`] : [])]);
      const near = closest(unknown.split('=')[0]!, known);
      return { error: `unknown option ${unknown}${near ? ` (did you mean ${near}?)` : ''}` };
    }
    const flag = /Option '(?:-\w, )?(--[\w-]+)/.exec(e.message)?.[1];
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) return { error: OPTIONS[flag.slice(2) as keyof typeof OPTIONS]?.type === 'string' ? `${flag} needs a value` : `${flag} takes no value` };
    return { error: e.message };
  }
}

export async function runMutateCli(argv: readonly string[], io: MutateIo): Promise<number> {
  const args = parseMutateArgs(argv);
  if ('error' in args) {
    io.stderr(`mutate: ${args.error}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const root = path.resolve(io.cwd, args.root);
  const config = await loadCommandConfig('mutate', [], { cwd: root, env: io.env, stderr: io.stderr });
  if (!config) return 2;
  const { files, unmatched } = collectNotes(config, args.paths, io.cwd);
  if (unmatched.length > 0) {
    for (const given of unmatched) io.stderr(`mutate: ${given}: no note there (notes are ${config.notes.join(', ')})\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`mutate: no notes under ${root} (notes are ${config.notes.join(', ')})\n`);
    return 2;
  }
  let settings: RunSettings;
  try {
    settings = await resolveSettings(config);
  } catch (error) {
    io.stderr(`mutate: the examples cannot run: ${(error as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const notes = loadNotes(root, files);
  const results: NoteMutations[] = [];
  try {
    for (const [file, { note, plan }] of notes) {
      const withEvidence = plan.items.filter((i) => i.kind === 'claim' && (i.examples.length > 0 || i.checks.length > 0)).length;
      if (withEvidence === 0) continue;
      if (!args.json) io.stderr(`mutate: ${plan.path}: ${withEvidence} claim${withEvidence === 1 ? '' : 's'} with evidence\n`);
      results.push(
        await mutateNote({
          plan, text: note.text, file, root, settings, limit: args.limit,
          onClaim: (c) => {
            if (args.json) return;
            const survived = c.mutations.filter((m) => m.survived).length;
            io.stderr(`  ${c.id}: ${c.skipped ? `skipped (${c.skipped})` : `${c.mutations.length - survived}/${c.mutations.length} mutations caught`}\n`);
          },
        }),
      );
    }
  } finally {
    // The warm workers end with the command, not with the process: a script may go on after it.
    await Promise.all([sharedPool().close(), closeLanes()]);
  }
  const result: MutationResult = { generatedAt: new Date().toISOString(), limit: args.limit, notes: results };
  const saved = path.join(root, MUTATIONS_FILE);
  saveResult(saved, result);
  const survivors = results.flatMap((n) => n.claims.flatMap((c) => c.mutations.filter((m) => m.survived).map((m) => ({ note: n.path, claim: c.id, ...m }))));
  if (args.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    for (const s of survivors) io.stdout(`${s.note}:${s.line}: claim ${s.claim}: mutation ${s.what} still passes\n`);
    const total = results.reduce((sum, n) => sum + n.claims.reduce((t, c) => t + c.mutations.length, 0), 0);
    io.stdout(`${total} mutations of ${results.reduce((sum, n) => sum + n.claims.length, 0)} claims in ${results.length} notes: ${total - survivors.length} caught, ${survivors.length} still pass (saved to ${path.relative(io.cwd, saved) || saved})\n`);
  }
  return survivors.length > 0 ? 1 : 0;
}

/** The run settings as the notes' global setup resolves them (interpreter, sandbox), once. */
async function resolveSettings(config: KbConfig): Promise<RunSettings> {
  let settings: RunSettings | undefined;
  await globalSetup({ config: { root: config.root, include: config.notes }, provide: (_key, value) => void (settings = value) });
  if (!settings) throw new Error('no run settings were resolved');
  return settings;
}

/** Writes the result, keeping the saved results of notes this run did not select. */
function saveResult(file: string, result: MutationResult): void {
  let kept: NoteMutations[] = [];
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as MutationResult;
    const ran = new Set(result.notes.map((n) => n.path));
    if (Array.isArray(previous.notes)) kept = previous.notes.filter((n) => !ran.has(n.path));
  } catch {
    // No previous result, or one that cannot be read: this run's result replaces it.
  }
  const notes = [...kept, ...result.notes].sort((a, b) => a.path.localeCompare(b.path));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomicSync(file, `${JSON.stringify({ ...result, notes }, null, 2)}\n`);
}
