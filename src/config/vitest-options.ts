/**
 * The options a project gave the plugin in its vitest config (`kb({ notes: [...] })`), read
 * for the `kb` commands when the project has no kb configuration of its own, so a command
 * sees the same notes as `vitest run`.
 *
 * The config file is loaded the way vitest loads it (vite's `loadConfigFromFile`, from the
 * vite that the project's vitest uses), and the options are taken from the plugin object
 * itself (its `api.kbDoctest.options`), never by reading the JavaScript as text. Only a
 * config file that mentions `kb-doctest` or calls `kb(` is loaded (cost measured in the README: a few
 * hundred milliseconds); only the root config's `plugins` are searched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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

/**
 * The kb() options of the vitest config at `root`; undefined when there is no such config or
 * it has no kb plugin in its `plugins`. Throws (one line) when the config cannot be loaded.
 */
export async function kbOptionsFromVitestConfig(root: string): Promise<VitestOptions | undefined> {
  const file = vitestConfigUsingKb(root);
  if (!file) return undefined;
  const vite = await importVite(root);
  const loaded = await vite.loadConfigFromFile({ command: 'serve', mode: 'test' }, file, root, 'silent');
  if (!loaded) return undefined;
  for (const plugin of await flatten(loaded.config.plugins)) {
    const api = (plugin as { api?: Partial<KbPluginApi> } | null)?.api;
    if (api?.kbDoctest) return { file: path.relative(root, file), options: api.kbDoctest.options };
  }
  return undefined;
}

interface Vite {
  loadConfigFromFile: (env: { command: 'serve'; mode: string }, file: string, root: string, logLevel: 'silent') => Promise<{ config: { plugins?: unknown[] } } | null>;
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
