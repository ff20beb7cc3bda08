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
import { COMMON_HELP, UsageError, type OptionSpecs } from '../cli/args.ts';
import { EXIT, jsonText, noNotesLine, unmatchedLine, readArgs, startCommand, type CliIo } from '../cli/command.ts';
import type { KbConfig } from '../config/index.ts';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { collectNotes } from '../notes/collect.ts';
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

  --limit N      at most N mutations per claim (default: ${DEFAULT_LIMIT})
${COMMON_HELP}
                 (--json prints the saved result instead of lines)

Exit status: 0 no mutation survives, 1 some survive, 2 bad usage, a path that
selects no note, no notes, or examples that cannot run.`;

export const MUTATE_OPTIONS = {
  limit: { type: 'string', value: 'a number' },
} as const satisfies OptionSpecs;

/** `--limit`'s value, or a usage error. */
function limitOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!/^\d+$/.test(value) || limit < 1) throw new UsageError(`--limit needs a whole number of 1 or more, not "${value}"`);
  return limit;
}

export async function runMutateCli(argv: readonly string[], io: CliIo): Promise<number> {
  const started = await startCommand({ name: 'mutate', usage: USAGE, options: MUTATE_OPTIONS }, argv, io);
  if (typeof started === 'number') return started;
  const { values, paths, config } = started;
  const checked = readArgs('mutate', io, () => ({ limit: limitOf(values.limit) }));
  if (typeof checked === 'number') return checked;
  const { limit } = checked;
  const json = values.json === true;
  const root = config.root;
  const { files, unmatched } = collectNotes(config, paths, io.cwd);
  if (unmatched.length > 0) {
    for (const given of unmatched) io.stderr(unmatchedLine('mutate', given, config, io.cwd));
    return EXIT.failure;
  }
  if (files.length === 0) {
    io.stderr(noNotesLine('mutate', config));
    return EXIT.failure;
  }
  let settings: RunSettings;
  try {
    settings = await resolveSettings(config);
  } catch (error) {
    io.stderr(`mutate: the examples cannot run: ${(error as Error).message.split('\n')[0]}\n`);
    return EXIT.failure;
  }
  const notes = loadNotes(root, files, config);
  const results: NoteMutations[] = [];
  try {
    for (const [file, { note, plan }] of notes) {
      const withEvidence = plan.items.filter((i) => i.kind === 'claim' && (i.examples.length > 0 || i.checks.length > 0)).length;
      if (withEvidence === 0) continue;
      if (!json && !values.quiet) io.stderr(`mutate: ${plan.path}: ${withEvidence} claim${withEvidence === 1 ? '' : 's'} with evidence\n`);
      results.push(
        await mutateNote({
          plan, text: note.text, file, root, settings, limit,
          onClaim: (c) => {
            if (json || values.quiet) return;
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
  const result: MutationResult = { generatedAt: new Date().toISOString(), limit, notes: results };
  const saved = path.join(root, MUTATIONS_FILE);
  saveResult(saved, result);
  const survivors = results.flatMap((n) => n.claims.flatMap((c) => c.mutations.filter((m) => m.survived).map((m) => ({ note: n.path, claim: c.id, ...m }))));
  if (json) io.stdout(jsonText(result));
  else {
    for (const s of survivors) io.stdout(`${s.note}:${s.line}: claim ${s.claim}: mutation ${s.what} still passes\n`);
    const total = results.reduce((sum, n) => sum + n.claims.reduce((t, c) => t + c.mutations.length, 0), 0);
    if (!values.quiet) io.stdout(`${total} mutations of ${results.reduce((sum, n) => sum + n.claims.length, 0)} claims in ${results.length} notes: ${total - survivors.length} caught, ${survivors.length} still pass (saved to ${path.relative(io.cwd, saved) || saved})\n`);
  }
  return survivors.length > 0 ? EXIT.problems : EXIT.clean;
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
