/**
 * The settings of the `notes` vitest project, in one place: vitest.config.ts
 * and the commands' programmatic runs both use them. Which files are notes is
 * not set here: the `kbNotes` plugin sets vitest's `include` to the notes
 * `collectNotes` finds (see src/notes/collect.ts).
 */
import { siblingModule } from '../fs/sibling.ts';

export function notesTestOptions() {
  return {
    // Notes share nothing through JavaScript modules: the Python worker is their isolation,
    // and per-file module isolation costs ~0.4 s per note here.
    isolate: false,
    pool: 'threads' as const,
    includeTaskLocation: true,
    globalSetup: [siblingModule('global-setup', import.meta.url), siblingModule('pool-setup', import.meta.url)],
  };
}
