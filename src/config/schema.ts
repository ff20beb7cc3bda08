/**
 * The one configuration of kb-doctest: its shape, its defaults and its
 * validation. Every entry point (the vitest plugin, every `kb` command, the
 * programmatic API) reads a `KbConfig` built by `loadConfig`, never the
 * environment or a file of its own.
 */
import type { RuleId } from '../diagnostics/rules.ts';
import { closest } from './suggest.ts';

export type SandboxMode = 'auto' | 'required' | 'off';

export interface Limits {
  /** Seconds an example may run. */
  timeout: number;
  /** Bytes of memory an example may use. */
  memory: number;
  /** Processes (and threads) an example may have at once. */
  processes: number;
  /** Bytes of the largest file an example may write. */
  fileSize: number;
  /** Bytes all files in an example's private folders may take. */
  diskSize: number;
  /** Bytes of stdout (and, apart, stderr) kept before the example fails. */
  output: number;
}

/** Settings that can also be narrowed to some files by `overrides`. */
export interface ScopedSettings {
  /** Language (or runner) name → whether its fences run. Unlisted languages with a runner run. */
  languages: Record<string, boolean>;
  /** Per-example limits. */
  limits: Limits;
  /** Whether examples may use the network. */
  network: boolean;
  /** `all`: every fence in a language that runs is an example; `marked`: only fences marked `test` (the rest are listed as not run). */
  run: RunMode;
}

export type RunMode = 'all' | 'marked';

export interface Override extends Partial<Omit<ScopedSettings, 'limits'>> {
  /** Globs (relative to the root) of the notes this override applies to. */
  files: string[];
  limits?: Partial<Limits>;
}

export interface TocConfig {
  minDepth: number;
  maxDepth: number;
}

export interface IndexConfig {
  /** The note that holds the notes index (between `<!-- index -->` and `<!-- indexstop -->`). */
  file: string;
}

export interface LinksConfig {
  /** Also check http(s) URLs. */
  external: boolean;
  /** Check mkdocs autorefs (`[Title][]`, `[text][module.Class]`) as references to headings. */
  autorefs: boolean;
}

export interface KbConfig extends ScopedSettings {
  /** Absolute path of the project root; every glob and relative path is read from here. */
  root: string;
  /** Where the configuration came from (for messages): a file path relative to the root, or `defaults`. */
  source: string;
  /** Globs of the Markdown files that are notes. */
  notes: string[];
  /** Globs of files that are never notes. */
  exclude: string[];
  /** Whether notes inside folders whose name starts with `.` are collected. */
  dotFolders: boolean;
  /** Per-file settings, applied in order after the defaults. */
  overrides: Override[];
  /** Python interpreter command or path (`KB_PYTHON` wins). */
  python: string;
  /** Bash used by `sh` and `console` examples (`KB_BASH` wins). */
  bash: string;
  /** Run examples inside bubblewrap: `auto` when available, `required` fails without it, `off`. */
  sandbox: SandboxMode;
  toc: TocConfig;
  /** The notes index, or `false` when the project keeps none. */
  index: IndexConfig | false;
  /** Folder that root-relative links (`/guide/x.md`) resolve against, relative to the root. */
  siteRoot: string | undefined;
  links: LinksConfig;
  /** Cited-only and no-evidence claims fail (`KB_STRICT=1`). */
  strict: boolean;
  /** Show stack traces of internal errors (`KB_DEBUG=1`); a `kb` command heeds it once its configuration is loaded. */
  debug: boolean;
}

/** What a user writes: every key optional, sizes as `"1G"`-style strings or byte counts. */
export type UserConfig = {
  [K in keyof Omit<KbConfig, 'root' | 'source' | 'limits' | 'toc' | 'links' | 'index' | 'overrides'>]?: KbConfig[K];
} & {
  limits?: Partial<Record<keyof Limits, number | string>>;
  toc?: Partial<TocConfig>;
  links?: Partial<LinksConfig>;
  index?: boolean | string | Partial<IndexConfig>;
  overrides?: Array<{ files: string | string[]; languages?: Record<string, boolean>; network?: boolean; run?: RunMode; limits?: Partial<Record<keyof Limits, number | string>> }>;
};

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  timeout: 10,
  memory: 1024 ** 3,
  processes: 256,
  fileSize: 256 * 1024 ** 2,
  diskSize: 512 * 1024 ** 2,
  output: 1024 ** 2,
});

/** Shell fences in a README are usually install instructions: they do not run unless asked. */
export const DEFAULT_OVERRIDES: readonly Override[] = Object.freeze([
  { files: ['README.md'], languages: { sh: false, bash: false, shell: false, console: false, 'shell-session': false } },
]);

export function defaultConfig(root: string): KbConfig {
  return {
    root,
    source: 'defaults',
    notes: ['notes/**/*.md', 'README.md'],
    exclude: [],
    dotFolders: false,
    overrides: DEFAULT_OVERRIDES.map((o) => ({ ...o, files: [...o.files], languages: { ...o.languages } })),
    languages: {},
    limits: { ...DEFAULT_LIMITS },
    network: false,
    run: 'all',
    python: 'python3',
    bash: 'bash',
    sandbox: 'auto',
    toc: { minDepth: 2, maxDepth: 4 },
    index: false,
    siteRoot: undefined,
    links: { external: false, autorefs: false },
    strict: false,
    debug: false,
  };
}

/** One problem found in a configuration; `path` is the key path, e.g. `limits.memory`. */
export interface ConfigProblem {
  path: string;
  message: string;
  ruleId: Extract<RuleId, 'config-unknown-key' | 'config-invalid-value'>;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i;
const UNIT: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `"1G"`, `"512M"`, `"1.5GiB"`, `"64k"` or a byte count → bytes; undefined when it is not a size. */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = SIZE.exec(value);
  if (!match) return undefined;
  const bytes = Number(match[1]) * UNIT[match[2]!.toLowerCase()]!;
  return bytes > 0 ? Math.floor(bytes) : undefined;
}

/** Bytes → the shortest `"1G"`-style text that names them exactly when possible. */
export function formatSize(bytes: number): string {
  for (const [unit, size] of [['T', 1024 ** 4], ['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}`;
}

type Checker = (value: unknown, path: string, problems: ConfigProblem[]) => unknown;

const invalid = (problems: ConfigProblem[], path: string, message: string): undefined => {
  problems.push({ path, message: `${path}: ${message}`, ruleId: 'config-invalid-value' });
  return undefined;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const boolean: Checker = (v, path, problems) => (typeof v === 'boolean' ? v : invalid(problems, path, `expected true or false, got ${JSON.stringify(v)}`));
const string: Checker = (v, path, problems) => (typeof v === 'string' && v.trim() !== '' ? v : invalid(problems, path, `expected a non-empty string, got ${JSON.stringify(v)}`));
const globs: Checker = (v, path, problems) => {
  const list = typeof v === 'string' ? [v] : v;
  if (Array.isArray(list) && list.every((g) => typeof g === 'string' && g.trim() !== '')) return list;
  return invalid(problems, path, `expected a glob or a list of globs, got ${JSON.stringify(v)}`);
};
const oneOf = (choices: readonly string[]): Checker => (v, path, problems) =>
  typeof v === 'string' && choices.includes(v) ? v : invalid(problems, path, `expected one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`);
const depth: Checker = (v, path, problems) =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 6 ? v : invalid(problems, path, `expected a heading depth from 1 to 6, got ${JSON.stringify(v)}`);
const size: Checker = (v, path, problems) =>
  parseSize(v) ?? invalid(problems, path, `expected a size such as "512M", "1G" or a number of bytes, got ${JSON.stringify(v)}`);
const positive: Checker = (v, path, problems) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : invalid(problems, path, `expected a positive number, got ${JSON.stringify(v)}`);
const count: Checker = (v, path, problems) =>
  Number.isInteger(v) && (v as number) > 0 ? v : invalid(problems, path, `expected a positive whole number, got ${JSON.stringify(v)}`);
const languageMap: Checker = (v, path, problems) => {
  if (!isObject(v)) return invalid(problems, path, `expected an object such as { "sh": false }, got ${JSON.stringify(v)}`);
  const out: Record<string, boolean> = {};
  for (const [name, on] of Object.entries(v)) {
    if (typeof on === 'boolean') out[name] = on;
    else invalid(problems, `${path}.${name}`, `expected true (runs) or false (does not run), got ${JSON.stringify(on)}`);
  }
  return out;
};

const LIMIT_CHECKERS: Record<keyof Limits, Checker> = {
  timeout: positive,
  memory: size,
  processes: count,
  fileSize: size,
  diskSize: size,
  output: size,
};

const object = (fields: Record<string, Checker>): Checker => (v, path, problems) => {
  if (!isObject(v)) return invalid(problems, path, `expected an object, got ${JSON.stringify(v)}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    const checker = fields[key];
    const keyPath = path ? `${path}.${key}` : key;
    if (!checker) {
      unknownKey(problems, keyPath, key, Object.keys(fields));
      continue;
    }
    const checked = checker(value, keyPath, problems);
    if (checked !== undefined) out[key] = checked;
  }
  return out;
};

function unknownKey(problems: ConfigProblem[], path: string, key: string, known: string[]): void {
  const guess = closest(key, known);
  problems.push({
    path,
    message: `unknown key "${path}"${guess ? ` (did you mean "${guess}"?)` : ''}; known keys here: ${known.join(', ')}`,
    ruleId: 'config-unknown-key',
  });
}

const limits = object(LIMIT_CHECKERS);
const runMode = oneOf(['all', 'marked']);

const index: Checker = (v, path, problems) => {
  if (typeof v === 'boolean') return v ? { file: 'notes/README.md' } : false;
  if (typeof v === 'string') return string(v, path, problems) === undefined ? undefined : { file: v };
  return object({ file: string })(v, path, problems);
};

const overrides: Checker = (v, path, problems) => {
  if (!Array.isArray(v)) return invalid(problems, path, `expected a list of { files, languages?, network?, run?, limits? }, got ${JSON.stringify(v)}`);
  const checkOne = object({ files: globs, languages: languageMap, network: boolean, run: runMode, limits });
  return v.map((item, i) => {
    const checked = checkOne(item, `${path}[${i}]`, problems) as Record<string, unknown> | undefined;
    if (checked && checked['files'] === undefined) invalid(problems, `${path}[${i}].files`, 'every override names the files it applies to');
    return checked;
  }).filter((o) => o !== undefined);
};

/** The checkers of every top-level key a user may write. */
export const TOP_LEVEL: Record<string, Checker> = {
  notes: globs,
  exclude: globs,
  dotFolders: boolean,
  overrides,
  languages: languageMap,
  limits,
  network: boolean,
  run: runMode,
  python: string,
  bash: string,
  sandbox: oneOf(['auto', 'required', 'off']),
  toc: object({ minDepth: depth, maxDepth: depth }),
  index,
  siteRoot: string,
  links: object({ external: boolean, autorefs: boolean }),
  strict: boolean,
  debug: boolean,
};

export const CONFIG_KEYS = Object.keys(TOP_LEVEL);

/** Validate what a user wrote; returns the checked, normalized values (sizes in bytes) and every problem. */
export function validateUserConfig(raw: unknown): { values: Partial<Record<string, unknown>>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  if (!isObject(raw)) {
    problems.push({ path: '', message: `the configuration must be an object, got ${JSON.stringify(raw)}`, ruleId: 'config-invalid-value' });
    return { values: {}, problems };
  }
  const values = (object(TOP_LEVEL)(raw, '', problems) ?? {}) as Record<string, unknown>;
  const toc = values['toc'] as Partial<TocConfig> | undefined;
  if (toc?.minDepth !== undefined && toc.maxDepth !== undefined && toc.minDepth > toc.maxDepth) {
    invalid(problems, 'toc', `minDepth (${toc.minDepth}) is greater than maxDepth (${toc.maxDepth})`);
  }
  return { values, problems };
}

/** Apply checked values over a base configuration (nested objects merge, lists replace; overrides append). */
export function applyValues(base: KbConfig, values: Partial<Record<string, unknown>>): KbConfig {
  const next: KbConfig = { ...base };
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (key === 'overrides') next.overrides = [...base.overrides, ...(value as Override[]).map(normalizeOverride)];
    else if (key === 'limits') next.limits = { ...base.limits, ...(value as Partial<Limits>) };
    else if (key === 'toc') next.toc = { ...base.toc, ...(value as Partial<TocConfig>) };
    else if (key === 'links') next.links = { ...base.links, ...(value as Partial<LinksConfig>) };
    else if (key === 'languages') next.languages = { ...base.languages, ...(value as Record<string, boolean>) };
    else if (key === 'notes' || key === 'exclude') (next as unknown as Record<string, unknown>)[key] = typeof value === 'string' ? [value] : value;
    else (next as unknown as Record<string, unknown>)[key] = value;
  }
  return next;
}

function normalizeOverride(o: Override | (Omit<Override, 'files'> & { files: string | string[] })): Override {
  return { ...o, files: typeof o.files === 'string' ? [o.files] : o.files };
}
