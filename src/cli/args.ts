/**
 * The arguments of every `kb` command, read with `node:util` `parseArgs` and
 * checked here, so each command has the same flags (`--json`, `--quiet`,
 * `--config FILE`, `--root DIR`, `--help`, positional paths) and the same
 * errors: an unknown flag names the nearest known one, a flag that needs a
 * value says what value, a flag that takes none says so.
 *
 * `parseArgs` runs non-strict with `tokens` and the checks are made on the
 * tokens, not by matching the wording of Node's error messages.
 */
import { parseArgs } from 'node:util';
import { closest } from '../config/suggest.ts';

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  /** A string option given more than once collects its values. */
  multiple?: boolean;
  /** A boolean option that `--no-NAME` turns off (its value is then `false`). */
  negatable?: boolean;
  /** What the value of a string option is, for "needs …" messages: `a folder`, `a file`. */
  value?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S['type'] extends 'string' ? (S['multiple'] extends true ? string[] : string | undefined) : boolean | undefined;

export type OptionValues<T extends OptionSpecs> = { [K in keyof T]: ValueOf<T[K]> };

/** The flags every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  config: { type: 'string', value: 'a configuration file' },
  root: { type: 'string', value: 'a folder' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpecs;

/** The help lines of the common flags, in the same words for every command. */
export const COMMON_HELP = `  --json         print one JSON document on stdout (shape: README, "The kb command")
  -q, --quiet    print problems only, no summary
  --config FILE  read the configuration from FILE instead of kb.config.* or package.json's "kb"
  --root DIR     the project root: notes globs are read from there (default: the current directory)
  -h, --help     show this help`;

/** Bad usage: the command prints the message and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ParsedArgs<T extends OptionSpecs> {
  values: OptionValues<T> & OptionValues<typeof COMMON_OPTIONS>;
  positionals: string[];
}

/**
 * Read `argv` with the command's own options and the common ones. Throws a `UsageError`
 * for an unknown flag (with "did you mean"), a missing or unexpected value, or a
 * positional argument when the command takes none.
 */
export function parseCommandArgs<T extends OptionSpecs>(argv: readonly string[], own: T, options: { positionals?: boolean } = {}): ParsedArgs<T> {
  const specs: OptionSpecs = { ...COMMON_OPTIONS, ...own };
  const nodeOptions = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) }]),
  );
  const { tokens } = parseArgs({ args: [...argv], options: nodeOptions, allowPositionals: true, strict: false, tokens: true });
  const values: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (options.positionals === false) throw new UsageError(`unexpected argument ${token.value}; this command takes no paths`);
      positionals.push(token.value);
      continue;
    }
    const negated = token.name.startsWith('no-') ? specs[token.name.slice(3)] : undefined;
    const spec = specs[token.name];
    if (!spec && negated?.negatable) {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name.slice(3)] = false;
      continue;
    }
    if (!spec) throw new UsageError(`unknown option ${token.rawName}${suggestion(token.rawName, specs)}`);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
      values[token.name] = true;
      continue;
    }
    // A string option followed by another option has no value: `--root --json` is not a folder named "--json".
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-') || token.value === '') {
      throw new UsageError(`${token.rawName} needs ${spec.value ?? 'a value'}`);
    }
    if (spec.multiple) values[token.name] = [...((values[token.name] as string[] | undefined) ?? []), token.value];
    else values[token.name] = token.value;
  }
  for (const [name, spec] of Object.entries(specs)) if (spec.multiple && values[name] === undefined) values[name] = [];
  return { values: values as ParsedArgs<T>['values'], positionals };
}

/** "Did you mean" for a long flag (any one-letter flag is one edit from every other: no guess there). */
function suggestion(rawName: string, specs: OptionSpecs): string {
  if (!rawName.startsWith('--')) return '';
  const known = Object.entries(specs).flatMap(([name, spec]) => [`--${name}`, ...(spec.negatable ? [`--no-${name}`] : [])]);
  const near = closest(rawName, known);
  return near ? ` (did you mean ${near}?)` : '';
}

/** One option line of a help text: `  -q, --quiet  …`, `  --out DIR  …`, with its description (continuation lines too). */
export interface HelpOption {
  flag: string;
  short?: string;
  /** The value's placeholder (`DIR`, `FILE`, `N`); absent for a flag that takes none. */
  value?: string;
  description: string;
}

const OPTION_LINE = /^ {2}(?:(-\w), )?(--[a-z][\w-]*)(?: ([A-Z][A-Z_]*))?(?: +(.*))?$/;

/** The option lines of a help text, in order (for the test that keeps help and options in step). */
export function optionsInHelp(help: string): HelpOption[] {
  const options: HelpOption[] = [];
  let current: HelpOption | undefined;
  for (const line of help.split('\n')) {
    const m = OPTION_LINE.exec(line);
    if (m) {
      current = { flag: m[2]!, ...(m[1] ? { short: m[1] } : {}), ...(m[3] ? { value: m[3] } : {}), description: m[4] ?? '' };
      options.push(current);
    } else if (current && /^ {4,}\S/.test(line)) {
      // A continuation of the option above: indented deeper than an option line.
      current.description += ` ${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  return options;
}

/** The flags a help text documents, one option line each: `  -q, --quiet  …` (for the test that keeps help and options in step). */
export function flagsInHelp(help: string): string[] {
  return optionsInHelp(help).flatMap((o) => [o.flag, ...(o.short ? [o.short] : [])]).sort();
}

/** The flags a command takes: its own and the common ones, `--no-` forms and short ones. */
export function declaredFlags(own: OptionSpecs): string[] {
  return Object.entries({ ...COMMON_OPTIONS, ...own })
    .flatMap(([name, spec]: [string, OptionSpec]) => [`--${name}`, ...(spec.negatable ? [`--no-${name}`] : []), ...(spec.short ? [`-${spec.short}`] : [])])
    .sort();
}
