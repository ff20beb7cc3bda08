/**
 * The configuration a command runs with: loaded once, at the root its `--root`
 * names (or the current directory). A configuration that cannot be used is one
 * clear message per problem, never a stack trace.
 */
import path from 'node:path';
import { ConfigError, loadConfig, type KbConfig } from '../config/index.ts';

/** `--root DIR` or `--root=DIR` in `argv`, resolved against `cwd`; else `cwd`. */
export function rootFromArgs(argv: readonly string[], cwd = process.cwd()): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    if (arg === '--root' && argv[i + 1] !== undefined) return path.resolve(cwd, argv[i + 1]!);
    if (arg.startsWith('--root=')) return path.resolve(cwd, arg.slice('--root='.length));
  }
  return cwd;
}

/** The loaded configuration, or undefined after printing why it cannot be used (the command exits 2). */
export async function loadCommandConfig(
  command: string,
  argv: readonly string[],
  io: { cwd?: string; env?: NodeJS.ProcessEnv; stderr?: (text: string) => void } = {},
): Promise<KbConfig | undefined> {
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  try {
    return await loadConfig({ root: rootFromArgs(argv, io.cwd), ...(io.env ? { env: io.env } : {}) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr(`${command}: the configuration cannot be used:\n${error.message}\n`);
    return undefined;
  }
}
