/**
 * `kb-doctest/vitest`: the plugin a project adds to its vitest config.
 *
 *   import kb from 'kb-doctest/vitest';
 *   export default defineConfig({ plugins: [kb({ notes: ['docs/**\/*.md'] })] });
 *
 * It reads the one configuration (these options win over `kb.config.*` and
 * `package.json`'s `"kb"`), then injects a vitest project of its own for the
 * notes, so the project's own tests keep their settings (pool, isolation,
 * include) and the notes get theirs.
 */
/// <reference types="vitest/config" />
import type { Plugin } from 'vite';
import { loadConfig, type KbConfig, type UserConfig } from '../config/index.ts';
import { siblingModule } from '../fs/sibling.ts';
import { includePatterns, kbNotes } from './plugin.ts';

export interface KbPluginOptions extends UserConfig {
  /** Name of the injected vitest project (default `notes`); `vitest --project notes` runs only the notes. */
  project?: string;
}

/** The vitest settings of a notes project (also used by the report's programmatic run). */
export function notesProjectTest(config: KbConfig, name: string) {
  return {
    name,
    root: config.root,
    // Exactly the notes every command sees (src/notes/collect.ts): dot folders, exclude, symlinks.
    include: includePatterns(config),
    // Notes share nothing through JavaScript modules (their examples run in their own
    // processes), and per-file module isolation costs ~0.4 s per note.
    isolate: false,
    pool: 'threads' as const,
    includeTaskLocation: true,
    globalSetup: [siblingModule('global-setup', import.meta.url)],
  };
}

export default function kb(options: KbPluginOptions = {}): Plugin {
  const { project: projectName = 'notes', ...inline } = options;
  const injectedInto = new WeakSet<object>();
  return {
    name: 'kb-doctest',
    async configureVitest({ vitest, injectTestProjects }) {
      // The hook runs for every project that has this plugin; the notes project is made once.
      if (injectedInto.has(vitest)) return;
      injectedInto.add(vitest);
      const config = await loadConfig({ root: vitest.config.root, inline });
      await injectTestProjects({
        plugins: [kbNotes({ root: config.root, config })],
        test: notesProjectTest(config, projectName),
      });
    },
  };
}

export { kb };
