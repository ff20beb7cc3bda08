/**
 * The options a project gave the plugin in its vitest config (`kb({ notes: [...] })`), read
 * for the `kb` commands when the project has no kb configuration of its own, so a command
 * sees the same notes as `vitest run`.
 *
 * The config file is loaded the way vitest loads it (vite's `loadConfigFromFile`, from the
 * vite that the project's vitest uses), and the options are taken from the plugin object
 * itself (its `api.kbDoctest.options`), never by reading the JavaScript as text. Only a
 * config file that mentions `kb-doctest` or calls `kb(` is loaded (cost measured in the README: a few
 * hundred milliseconds). The root config's `plugins` are searched, and those of the projects written
 * inline in `test.projects` (objects, promises of them, functions returning them); a project named
 * by a path, or `extends` of another file, is not loaded (one more config load per command). Two
 * kb() calls with different options, or one in a project with a root of its own, are an error:
 * which options a command should take is then a guess.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { UserConfig } from './schema.ts';

/** The names vitest looks for, in its order (vitest.config.* before vite.config.*). */
export const VITEST_CONFIG_FILES = ['vitest.config', 'vite.config'].flatMap((name) => ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'].map((ext) => name + ext));

/** What the plugin object carries so that tools can read its options (see src/vitest/index.ts). */
export interface KbPluginApi {
  kbDoctest: { options: UserConfig };
}

export interface VitestOptions {
  /** The config file, relative to the root. */
  file: string;
  options: UserConfig;
}

/** The config file vitest would read at `root`, when it uses the kb plugin. */
export function vitestConfigUsingKb(root: string): string | undefined {
  const file = VITEST_CONFIG_FILES.map((name) => path.join(root, name)).find((candidate) => existsSync(candidate));
  if (!file) return undefined;
  // A cheap look before the costly load: the plugin's package name, or a call of it.
  return /kb-doctest|\bkb\s*\(/.test(readFileSync(file, 'utf8')) ? file : undefined;
}

/** Why the options of the kb() calls in a vitest config cannot be taken as the commands' (one line). */
export class AmbiguousKbOptions extends Error {
  override name = 'AmbiguousKbOptions';
}

/** The env vitest gives a config function (and a project's). */
const CONFIG_ENV = { command: 'serve', mode: 'test' } as const;

/**
 * The kb() options of the vitest config at `root`; undefined when there is no such config or
 * it has no kb plugin in its `plugins` or its inline projects' `plugins`. Throws (one line) when
 * the config cannot be loaded, and an `AmbiguousKbOptions` when its kb() calls do not agree.
 */
export async function kbOptionsFromVitestConfig(root: string): Promise<VitestOptions | undefined> {
  const file = vitestConfigUsingKb(root);
  if (!file) return undefined;
  const vite = await importVite(root);
  const loaded = await vite.loadConfigFromFile(CONFIG_ENV, file, root, 'silent');
  if (!loaded) return undefined;
  const shown = path.relative(root, file);
  const calls = await kbCalls(loaded.config, root);
  const [first, ...others] = calls;
  if (!first) return undefined;
  const differing = others.find((call) => !isDeepStrictEqual(call.options, first.options));
  if (differing) {
    throw new AmbiguousKbOptions(`kb() is called in ${first.where} and in ${differing.where} with different options; give both the same, or put the settings in kb.config.json`);
  }
  const elsewhere = calls.find((call) => call.root !== undefined && call.root !== root);
  if (elsewhere) {
    throw new AmbiguousKbOptions(
      `kb() is called in ${elsewhere.where}, whose project has its own root (${path.relative(root, elsewhere.root!) || '.'}); run the command with --root there, or put the settings in kb.config.json`,
    );
  }
  return { file: shown, options: first.options };
}

interface KbCall {
  /** Where the call is, for messages: `plugins`, `test.projects[1].plugins`. */
  where: string;
  options: UserConfig;
  /** The absolute root of the inline project it is in, when that project names one. */
  root?: string;
}

/** The kb() plugin objects of the root config and of its inline projects. */
async function kbCalls(config: ViteConfig, root: string): Promise<KbCall[]> {
  const calls: KbCall[] = [];
  const collect = async (plugins: unknown, where: string, projectRoot?: string) => {
    for (const plugin of await flatten(plugins)) {
      const api = (plugin as { api?: Partial<KbPluginApi> } | null)?.api;
      if (api?.kbDoctest) calls.push({ where, options: api.kbDoctest.options, ...(projectRoot !== undefined ? { root: projectRoot } : {}) });
    }
  };
  await collect(config.plugins, 'plugins');
  const projects = await config.test?.projects;
  if (!Array.isArray(projects)) return calls;
  for (const [index, entry] of projects.entries()) {
    // A path or glob names other config files: not loaded (see the module comment).
    const project = (await (typeof entry === 'function' ? entry(CONFIG_ENV) : entry)) as ViteConfig | string | null | undefined;
    if (typeof project !== 'object' || project === null) continue;
    const projectRoot = typeof project.root === 'string' ? path.resolve(root, project.root) : undefined;
    await collect(project.plugins, `test.projects[${index}].plugins`, projectRoot);
  }
  return calls;
}

/** The parts of a loaded vite/vitest config read here. */
interface ViteConfig {
  root?: unknown;
  plugins?: unknown;
  test?: { projects?: unknown };
}

interface Vite {
  loadConfigFromFile: (env: { command: 'serve'; mode: string }, file: string, root: string, logLevel: 'silent') => Promise<{ config: ViteConfig } | null>;
}

/** vite as the project's vitest has it (vitest depends on vite; this package does not). */
async function importVite(root: string): Promise<Vite> {
  const fromHere = createRequire(import.meta.url);
  const fromProject = createRequire(path.join(root, 'package.json'));
  let vitest: string;
  try {
    vitest = fromProject.resolve('vitest/package.json');
  } catch {
    vitest = fromHere.resolve('vitest/package.json');
  }
  return (await import(pathToFileURL(createRequire(vitest).resolve('vite')).href)) as Vite;
}

/** vite's plugin option: plugins, falsy values, promises and nested arrays of them. */
async function flatten(plugins: unknown): Promise<unknown[]> {
  const value = await plugins;
  if (!Array.isArray(value)) return value ? [value] : [];
  return (await Promise.all(value.map(flatten))).flat();
}
