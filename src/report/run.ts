/**
 * Runs a knowledge base's notes with vitest, programmatically, or replays the
 * blob reports of sharded runs (`vitest run --shard=i/n --reporter=blob`)
 * through vitest's own `mergeReports`, and hands back what the collecting
 * reporter saw. The notes project is built here rather than loaded from
 * vitest.config.ts, so `--root` can point at any knowledge base (a folder
 * with `notes/`) while the plugin and runtime stay this repo's.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVitest, type Vitest } from 'vitest/node';
import type { KbConfig } from '../config/index.ts';
import { kbNotes } from '../vitest/plugin.ts';
import { notesTestOptions } from '../vitest/notes-project.ts';
import { CollectingReporter, type CollectedRun } from './collect.ts';

export interface RunOptions {
  /** Knowledge base root. */
  root: string;
  /** The loaded configuration (which files are notes); default: loaded from the root. */
  config?: KbConfig;
  /** Fail cited-only and no-evidence claims (handed to the note runtime as provided data). */
  strict: boolean;
  /** Run only the notes whose path contains one of these (vitest's file filters). */
  filters?: string[];
}

export interface RunOutcome extends CollectedRun {
  /** What vitest itself printed (its reporters are off; only warnings and setup errors land here). */
  log: string;
}


/** The project name of the notes, as in vitest.config.ts: blob reports name the project of each file. */
export const NOTES_PROJECT = 'notes';

export async function runNotes(options: RunOptions): Promise<RunOutcome> {
  return withVitest(options, (vitest) => vitest.start(options.filters));
}

/**
 * Replays the blob reports in `blobDir` (absolute) as if the notes had just run. Files of other
 * projects (the engine's own tests) replay too; the report keeps only the notes it knows.
 */
export async function mergeNoteReports(options: RunOptions & { blobDir: string }): Promise<RunOutcome> {
  if (!existsSync(options.blobDir) || !statSync(options.blobDir).isDirectory()) {
    throw new Error(`${options.blobDir} is not a folder of blob reports; write them with \`vitest run --shard=i/n --reporter=blob\` (they go to .vitest-reports/)`);
  }
  // An empty folder, or blobs of another vitest version, is bad input: an error, not a report of nothing.
  let failure: unknown;
  const outcome = await withVitest(options, (vitest) => vitest.mergeReports(options.blobDir).catch((error: unknown) => void (failure = error)));
  if (failure) throw new Error(`cannot merge the blob reports in ${options.blobDir}: ${(failure as Error).message}`);
  return outcome;
}

async function withVitest(options: RunOptions, action: (vitest: Vitest) => Promise<unknown>): Promise<RunOutcome> {
  const root = path.resolve(options.root);
  const reporter = new CollectingReporter();
  let log = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      log += String(chunk);
      done();
    },
  });
  const vitest = await createVitest(
    'test',
    {
      root,
      config: false,
      watch: false,
      reporters: [reporter],
      passWithNoTests: true,
      // No results cache in the knowledge base's node_modules: the report writes only to --out.
      cache: false,
      ...notesTestOptions(),
    },
    { plugins: [kbNotes({ root, strict: options.strict, ...(options.config ? { config: options.config } : {}) })], test: { name: NOTES_PROJECT } },
    { stdout: sink, stderr: sink },
  );
  try {
    await action(vitest);
  } catch (error) {
    // A failing global setup (e.g. no Python) ends the run early: report it, do not crash.
    reporter.addRunError(error);
  } finally {
    await vitest.close();
  }
  return { ...reporter.result(), log };
}
