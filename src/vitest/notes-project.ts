/**
 * The settings of the `notes` vitest project, in one place: vitest.config.ts
 * and the commands' programmatic runs both use them. Which files are notes is
 * not set here: the `kbNotes` plugin sets vitest's `include` to the notes
 * `collectNotes` finds (see src/notes/collect.ts).
 */
import os from 'node:os';
import { siblingModule } from '../fs/sibling.ts';

export function notesTestOptions() {
  return {
    // Measured (bench/engine.ts --only workers, 2 cores, warm, 1,000 examples): the same CPU time
    // for 1, 2 or 3 test workers (4.5-4.9 s), the wall time shorter with 2 than with 1 (x0.83):
    // the Python work is in the pool server's processes, a test worker mostly waits on it. vitest's
    // own default (one core less than the machine's) would leave 1 on 2 cores.
    maxWorkers: Math.max(2, os.availableParallelism()),
    // Notes share nothing through JavaScript modules: the Python worker is their isolation,
    // and per-file module isolation costs ~0.4 s per note here.
    isolate: false,
    pool: 'threads' as const,
    includeTaskLocation: true,
    globalSetup: [siblingModule('global-setup', import.meta.url), siblingModule('pool-setup', import.meta.url)],
  };
}
