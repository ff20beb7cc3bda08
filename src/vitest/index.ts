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
import path from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import type { KbPluginApi } from '../config/vitest-options.ts';
import { ConfigError, loadConfig, validateUserConfig, type KbConfig, type UserConfig } from '../config/index.ts';
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
    globalSetup: [siblingModule('global-setup', import.meta.url), siblingModule('pool-setup', import.meta.url)],
  };
}

/** A configuration problem as vitest shows it: the message, without a stack trace of the plugin's insides. */
function withoutStack(error: unknown): unknown {
  if (error instanceof ConfigError) error.stack = `kb-doctest: the configuration cannot be used:\n${error.message}`;
  return error;
}

function checkOptions(options: unknown): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw withoutStack(new ConfigError([{ file: 'vitest.config (kb plugin options)', path: '', message: `kb() takes an options object, got ${JSON.stringify(options)}`, ruleId: 'config-invalid-value' }]));
  }
  const { project, ...settings } = options as KbPluginOptions;
  const problems: ConstructorParameters<typeof ConfigError>[0] = [];
  if (project !== undefined && (typeof project !== 'string' || !/^[\w.-]+$/.test(project))) {
    problems.push({ file: 'vitest.config (kb plugin options)', path: 'project', message: `"project" must be a project name (letters, digits, ".", "-", "_"), got ${JSON.stringify(project)}`, ruleId: 'config-invalid-value' });
  }
  for (const problem of validateUserConfig(settings).problems) problems.push({ ...problem, file: 'vitest.config (kb plugin options)' });
  if (problems.length > 0) throw withoutStack(new ConfigError(problems));
}

interface ProjectsConfig {
  root?: string;
  /** The config file vite loaded (vitest passes it in the inline config, so a plugin's `config` hook sees it). */
  configFile?: string | false;
  test?: { projects?: unknown[] };
}

/** vitest's own test for a file that may be listed as a project (`CONFIG_REGEXP` in vitest's sources). */
const PROJECT_CONFIG_FILE = /^vite(?:st)?(?:\.[\w-]+)?\.config\./;

/**
 * The user's own config file as a project entry: vitest reuses the root project for it (same
 * settings, same plugins, no second load) and applies `--project` to it like any other.
 * Undefined when vitest would not read the path as that file (another name, glob characters).
 */
function rootProjectEntry(configFile: string | false | undefined): string | undefined {
  if (typeof configFile !== 'string' || !path.isAbsolute(configFile)) return undefined;
  if (!PROJECT_CONFIG_FILE.test(path.basename(configFile)) || isDynamicPattern(configFile) || configFile.includes('<rootDir>')) return undefined;
  return configFile;
}

export default function kb(options: KbPluginOptions = {}): Plugin {
  // Unknown or mistyped options fail where they are written, when vitest loads its config.
  checkOptions(options);
  const { project: projectName = 'notes', ...inline } = options;
  const injectedInto = new WeakSet<object>();
  let declared = false;
  const notesProject = async (root: string) => {
    const config = await loadConfig({ root, inline }).catch((error: unknown) => Promise.reject(withoutStack(error)));
    return { plugins: [kbNotes({ root: config.root, config })], test: notesProjectTest(config, projectName) };
  };
  const api: KbPluginApi = { kbDoctest: { options: inline } };
  return {
    name: 'kb-doctest',
    // The `kb` commands read the options here when the project has no kb configuration file.
    api,
    // The notes project is declared in the config, before vitest applies `--project` (projects
    // injected later are filtered out with it: "No projects matched the filter"). A project that
    // lists its vitest projects gets it beside them; one that does not gets its own config file
    // listed as a project (vitest reuses the root project for it), so `--project notes` works there too.
    async config(user) {
      if (declared) return undefined;
      const { test, configFile } = user as ProjectsConfig;
      const projects = test?.projects;
      const entry = Array.isArray(projects) ? undefined : rootProjectEntry(configFile);
      if (!Array.isArray(projects) && entry === undefined) return undefined;
      const own = entry === undefined ? [] : [entry];
      declared = true;
      const root = path.resolve((user as ProjectsConfig).root ?? process.cwd());
      return { test: { projects: [...own, await notesProject(root)] } } as never;
    },
    // Otherwise (no config file vitest can list) the notes are injected next to the project's tests.
    async configureVitest(context) {
      const { vitest, injectTestProjects } = context;
      // The hook runs for every project that has this plugin; the notes project is made once.
      if (declared || injectedInto.has(vitest)) return;
      injectedInto.add(vitest);
      const injected = await injectTestProjects(await notesProject(vitest.config.root));
      // vitest calls `configureVitest` of the projects it resolved, not of the ones injected from
      // that hook: the notes plugin's (the run's settings, watch mode) is called here instead.
      for (const project of injected) {
        for (const hook of project.vite.config.getSortedPluginHooks('configureVitest')) await hook({ ...context, project });
      }
    },
  };
}

export { kb };
