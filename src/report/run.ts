/**
 * Runs a knowledge base's notes with vitest, programmatically, and hands back
 * what the collecting reporter saw. The notes project is built here rather
 * than loaded from vitest.config.ts, so `--root` can point at any knowledge
 * base (a folder with `notes/`) while the plugin and runtime stay this repo's.
 */
import path from 'node:path';
import { Writable } from 'node:stream';
import { createVitest } from 'vitest/node';
import type { KbConfig } from '../config/index.ts';
import { kbNotes } from '../vitest/plugin.ts';
import { notesTestOptions } from '../vitest/notes-project.ts';
import { CollectingReporter, type CollectedRun } from './collect.ts';

export interface RunOptions {
  /** Knowledge base root. */
  root: string;
  /** The loaded configuration (which files are notes); default: loaded from the root. */
  config?: KbConfig;
  /** Fail cited-only and no-evidence claims (sets `KB_STRICT=1` for the run). */
  strict: boolean;
  /** Run only the notes whose path contains one of these (vitest's file filters). */
  filters?: string[];
}

export interface RunOutcome extends CollectedRun {
  /** What vitest itself printed (its reporters are off; only warnings and setup errors land here). */
  log: string;
}


export async function runNotes(options: RunOptions): Promise<RunOutcome> {
  const root = path.resolve(options.root);
  // The note runtime reads KB_STRICT in the worker threads, which copy this environment.
  if (options.strict) process.env['KB_STRICT'] = '1';
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
    { plugins: [kbNotes({ root, ...(options.config ? { config: options.config } : {}) })] },
    { stdout: sink, stderr: sink },
  );
  try {
    await vitest.start(options.filters);
  } catch (error) {
    // A failing global setup (e.g. no Python) ends the run early: report it, do not crash.
    reporter.addRunError(error);
  } finally {
    await vitest.close();
  }
  return { ...reporter.result(), log };
}
