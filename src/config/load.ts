/**
 * Find, read and validate the configuration: the plugin call's options, a
 * `kb.config.{json,js,mjs,ts,mts}` file or `package.json`'s `"kb"` field (the
 * first of these files that exists; two config files are an error), then the
 * environment. Problems are collected and thrown as one `ConfigError`.
 */
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument, isMap, isScalar, type Node as YamlNode } from 'yaml';
import { readEnv } from './env.ts';
import { AmbiguousKbOptions, kbOptionsFromVitestConfig, vitestConfigUsingKb } from './vitest-options.ts';
import { applyValues, defaultConfig, validateUserConfig, type ConfigProblem, type KbConfig, type UserConfig } from './schema.ts';

export const CONFIG_FILES = ['kb.config.json', 'kb.config.js', 'kb.config.mjs', 'kb.config.ts', 'kb.config.mts'];

export interface LoadOptions {
  /** Project root (default: the current directory). */
  root?: string;
  /** An explicit configuration file (a command's `--config`), relative to the current directory. */
  configFile?: string;
  /** Options given in code (the vitest plugin call); they win over files. */
  inline?: UserConfig;
  /** The environment to read overrides from (default: `process.env`). */
  env?: NodeJS.ProcessEnv;
  /**
   * When no kb configuration file exists: read the options of the kb() call in the project's
   * vitest config (the commands do; the plugin has them already).
   */
  vitestConfig?: boolean;
}

/** A configuration that cannot be used; `problems` are positioned where the file allows. */
export class ConfigError extends Error {
  constructor(readonly problems: Array<ConfigProblem & { file: string; line?: number; column?: number }>) {
    super(problems.map((p) => `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: ${p.message} [${p.ruleId}]`).join('\n'));
    this.name = 'ConfigError';
  }
}

interface Source {
  file: string;
  raw: unknown;
  /** Finds the line and column of a key path in the file's text, when it is JSON. */
  locate?: (keyPath: string) => { line: number; column: number } | undefined;
}

export async function loadConfig(options: LoadOptions = {}): Promise<KbConfig> {
  const root = path.resolve(options.root ?? process.cwd());
  if (!existsSync(root)) {
    throw new ConfigError([{ file: root, path: '', message: `the project root ${root} does not exist`, ruleId: 'config-invalid-value' }]);
  }
  let config = defaultConfig(root);
  const problems: ConstructorParameters<typeof ConfigError>[0] = [];
  const sources: Source[] = [];
  const fileSource = options.configFile !== undefined ? await readExplicit(path.resolve(options.configFile), problems, root) : await findSource(root, problems);
  if (fileSource) sources.push(fileSource);
  else if (options.vitestConfig && options.configFile === undefined) {
    const fromVitest = await readVitestOptions(root, problems);
    if (fromVitest) sources.push(fromVitest);
  }
  if (options.inline !== undefined) sources.push({ file: 'vitest.config (kb plugin options)', raw: options.inline });
  for (const source of sources) {
    const { values, problems: found } = validateUserConfig(source.raw);
    for (const p of found) problems.push({ ...p, file: source.file, ...source.locate?.(p.path) });
    config = applyValues(config, values);
    config.source = source.file;
  }
  const env = readEnv(options.env);
  for (const p of env.problems) problems.push({ ...p, file: 'environment' });
  const o = env.overrides;
  if (o.python !== undefined) config.python = o.python;
  if (o.bash !== undefined) config.bash = o.bash;
  if (o.sandbox !== undefined) config.sandbox = o.sandbox;
  if (o.strict !== undefined) config.strict = o.strict;
  if (o.debug !== undefined) config.debug = o.debug;
  if (o.linksExternal !== undefined) config.links = { ...config.links, external: o.linksExternal };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

async function findSource(root: string, problems: ConstructorParameters<typeof ConfigError>[0]): Promise<Source | undefined> {
  const present = CONFIG_FILES.filter((name) => existsSync(path.join(root, name)));
  if (present.length > 1) {
    problems.push({ file: present[1]!, path: '', message: `two configuration files (${present.join(', ')}); keep one`, ruleId: 'config-invalid-value' });
  }
  if (present.length > 0) return readExplicit(path.join(root, present[0]!), problems, root);
  const pkg = path.join(root, 'package.json');
  if (!existsSync(pkg)) return undefined;
  const text = readFileSync(pkg, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined; // not ours to judge; npm reports a broken package.json
  }
  if (typeof parsed !== 'object' || parsed === null || !('kb' in parsed)) return undefined;
  return { file: 'package.json', raw: (parsed as Record<string, unknown>)['kb'], locate: jsonLocator(text, ['kb']) };
}

async function readExplicit(file: string, problems: ConstructorParameters<typeof ConfigError>[0], root = process.cwd()): Promise<Source | undefined> {
  const shown = path.relative(root, file) || file;
  if (!existsSync(file)) {
    problems.push({ file: shown, path: '', message: `configuration file ${shown} does not exist`, ruleId: 'config-invalid-value' });
    return undefined;
  }
  try {
    if (path.basename(file) === 'package.json') {
      // `--config some/package.json`: its "kb" field, as when it is found at the root.
      const text = readFileSync(file, 'utf8');
      const parsed = JSON.parse(text) as Record<string, unknown>;
      if (!('kb' in parsed)) throw new Error('it has no "kb" field');
      return { file: shown, raw: parsed['kb'], locate: jsonLocator(text, ['kb']) };
    }
    if (file.endsWith('.json')) {
      const text = readFileSync(file, 'utf8');
      return { file: shown, raw: JSON.parse(text), locate: jsonLocator(text, []) };
    }
    return { file: shown, raw: await importModule(file) };
  } catch (error) {
    problems.push({ file: shown, path: '', message: `cannot read the configuration: ${(error as Error).message.split('\n')[0]}`, ruleId: 'config-invalid-value' });
    return undefined;
  }
}

/** The options of the kb() call in the root's vitest config, when there is one (src/config/vitest-options.ts). */
async function readVitestOptions(root: string, problems: ConstructorParameters<typeof ConfigError>[0]): Promise<Source | undefined> {
  const file = vitestConfigUsingKb(root);
  if (!file) return undefined;
  const shown = path.relative(root, file);
  try {
    const found = await kbOptionsFromVitestConfig(root);
    return found && { file: `${found.file} (kb plugin options)`, raw: found.options };
  } catch (error) {
    if (error instanceof AmbiguousKbOptions) {
      problems.push({ file: shown, path: '', message: error.message, ruleId: 'config-invalid-value' });
      return undefined;
    }
    const message = (error as Error).message.split('\n').find((line) => line.trim() !== '') ?? String(error);
    problems.push({
      file: shown,
      path: '',
      message: `cannot load it to read the options of kb(): ${message}; put the settings in kb.config.json or package.json's "kb" instead, or give --config`,
      ruleId: 'config-invalid-value',
    });
    return undefined;
  }
}

/** A JS config's default export; a TS config is stripped of its types first (no type checking, no tsx needed). */
async function importModule(file: string): Promise<unknown> {
  if (!/\.m?ts$/.test(file)) return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
  const { transformSync } = await import('rolldown/utils');
  const result = transformSync(file, readFileSync(file, 'utf8'), { lang: 'ts' });
  if (result.errors.length > 0) throw new Error(String(result.errors[0]?.message ?? 'syntax error'));
  // Next to the original, so the config's own relative imports resolve as written.
  const temporary = path.join(path.dirname(file), `.kb.config.${process.pid}.${Date.now()}.mjs`);
  writeFileSync(temporary, result.code);
  try {
    return ((await import(pathToFileURL(temporary).href)) as { default?: unknown }).default;
  } finally {
    unlinkSync(temporary);
  }
}

/** `limits.memory` → the line and column of that key in a JSON text (under `prefix`, e.g. package.json's `kb`). */
function jsonLocator(text: string, prefix: string[]): Source['locate'] {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter });
  return (keyPath) => {
    const keys = [...prefix, ...keyPath.split(/\.|\[(\d+)\]/).filter((k) => k !== undefined && k !== '')];
    let node: YamlNode | null | undefined = document.contents as YamlNode | null;
    let at: number | undefined = node?.range?.[0];
    for (const key of keys) {
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
      if (!pair) break;
      at = (pair.key as YamlNode).range?.[0];
      node = pair.value as YamlNode | null;
    }
    if (at === undefined) return undefined;
    const { line, col } = counter.linePos(at);
    return { line, column: col };
  };
}
