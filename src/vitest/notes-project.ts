/**
 * The settings of the `notes` vitest project, in one place: vitest.config.ts
 * and the report's programmatic run both use them.
 */
import { siblingModule } from '../fs/sibling.ts';

/** Which files are notes: every Markdown file under notes/, and the README (it is a note too). */
export const NOTE_PATTERNS = ['notes/**/*.md', 'README.md'];

export function notesTestOptions() {
  return {
    include: NOTE_PATTERNS,
    // Notes share nothing through JavaScript modules: the Python worker is their isolation,
    // and per-file module isolation costs ~0.4 s per note here.
    isolate: false,
    pool: 'threads' as const,
    includeTaskLocation: true,
    globalSetup: [siblingModule('global-setup', import.meta.url)],
  };
}
