/**
 * What every `kb` command does before its own work: read its arguments
 * (src/cli/args.ts), answer `--help`, and load the one configuration at the
 * root (`--root`) from the file `--config` names or the usual places. A usage
 * error or a configuration that cannot be used is printed in a few lines and
 * the command exits 2.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type KbConfig } from '../config/index.ts';
import { type COMMON_OPTIONS, parseCommandArgs, UsageError, type OptionSpecs, type OptionValues } from './args.ts';

/** Where a command reads and writes: data, so tests run commands in-process. Every text written is whole lines. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Told the configuration once it is loaded (`kb` uses it for `"debug"`: stack traces of internal errors from then on). */
  configLoaded?: (config: KbConfig) => void;
}

export interface CommandSpec<T extends OptionSpecs> {
  name: string;
  /** The whole `--help` text. */
  usage: string;
  options: T;
  /** Whether the command takes paths (default: true). */
  positionals?: boolean;
}

export interface StartedCommand<T extends OptionSpecs> {
  values: OptionValues<T> & OptionValues<typeof COMMON_OPTIONS>;
  paths: string[];
  config: KbConfig;
}

export const EXIT = { clean: 0, problems: 1, failure: 2 } as const;

/** One line for bad usage, pointing at the command's help. */
export function usageLine(command: string, message: string): string {
  return `${command}: ${message}; \`kb ${command} --help\` lists the options\n`;
}

/** The command's arguments and configuration, or the exit status when it is done already (help, bad usage). */
export async function startCommand<T extends OptionSpecs>(spec: CommandSpec<T>, argv: readonly string[], io: CliIo): Promise<StartedCommand<T> | number> {
  const parsed = readArgs(spec.name, io, () => parseCommandArgs(argv, spec.options, { positionals: spec.positionals ?? true }));
  if (typeof parsed === 'number') return parsed;
  const config = await helpOrConfig(spec, parsed.values as OptionValues<typeof COMMON_OPTIONS>, io);
  if (typeof config === 'number') return config;
  return { values: parsed.values, paths: parsed.positionals, config };
}

/** `read()`'s result, or exit status 2 after one line when it throws a `UsageError` (a command's own checks of its values). */
export function readArgs<R>(command: string, io: Pick<CliIo, 'stderr'>, read: () => R): R | number {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(usageLine(command, error.message));
    return EXIT.failure;
  }
}

/** After the arguments: `--help` (exit 0), else the configuration at `--root` from `--config` or the usual places (exit 2 when unusable). */
export async function helpOrConfig(
  spec: Pick<CommandSpec<OptionSpecs>, 'name' | 'usage'>,
  common: Partial<OptionValues<typeof COMMON_OPTIONS>>,
  io: CliIo,
): Promise<KbConfig | number> {
  if (common.help) {
    io.stdout(spec.usage.endsWith('\n') ? spec.usage : `${spec.usage}\n`);
    return EXIT.clean;
  }
  const root = path.resolve(io.cwd, common.root ?? '.');
  if (common.root !== undefined && !isFolder(root)) {
    io.stderr(usageLine(spec.name, `--root ${common.root}: no such folder`));
    return EXIT.failure;
  }
  const configFile = common.config === undefined ? undefined : path.resolve(io.cwd, common.config);
  const config = await loadCommandConfig(spec.name, { root, configFile, env: io.env, stderr: io.stderr });
  if (config === undefined) return EXIT.failure;
  io.configLoaded?.(config);
  return config;
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** The loaded configuration, or undefined after printing why it cannot be used (the command exits 2). */
export async function loadCommandConfig(
  command: string,
  options: { root: string; configFile?: string | undefined; env: NodeJS.ProcessEnv; stderr: (text: string) => void },
): Promise<KbConfig | undefined> {
  try {
    return await loadConfig({
      root: options.root,
      env: options.env,
      // A project whose only kb settings are the plugin call's: the command reads them there.
      vitestConfig: true,
      ...(options.configFile !== undefined ? { configFile: options.configFile } : {}),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    options.stderr(`${command}: the configuration cannot be used:\n${error.message}\n`);
    return undefined;
  }
}

/** "No notes": bad usage (exit 2), with where the command looked and how to point it elsewhere. */
export function noNotesLine(command: string, config: KbConfig): string {
  const where = config.source === 'defaults' ? 'no configuration found, so the defaults' : config.source;
  return `${command}: no notes under ${config.root} (notes are ${config.notes.join(', ')}${config.exclude.length ? `, except ${config.exclude.join(', ')}` : ''}: ${where}); set "notes" in kb.config.json or package.json's "kb", e.g. {"notes": ["docs/**/*.md"]}, or give the paths\n`;
}

/** A path given that selects no note: missing, or outside what the configuration calls notes. */
export function unmatchedLine(command: string, given: string, config: KbConfig, cwd: string): string {
  if (!existsSync(path.resolve(cwd, given))) return usageLine(command, `no such file or folder: ${given}`);
  return `${command}: ${given}: no note there (notes are ${config.notes.join(', ')}${config.exclude.length ? `, except ${config.exclude.join(', ')}` : ''})\n`;
}

/** `--json` output: one document, two-space indented, one final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** `--json`: one diagnostic, the same shape in every command that reports them. */
export interface JsonProblem {
  file: string;
  line: number;
  column: number;
  ruleId: string;
  reason: string;
  severity: 'error' | 'warning';
}

/** A diagnostic (vfile message made plain) as `--json` shows it; `severity` defaults to its `fatal`. */
export function jsonProblem(p: { file: string; line: number; column: number; ruleId: string; reason: string; fatal?: boolean | null | undefined }, severity?: JsonProblem['severity']): JsonProblem {
  return { file: p.file, line: p.line, column: p.column, ruleId: p.ruleId, reason: p.reason, severity: severity ?? (p.fatal ? 'error' : 'warning') };
}
