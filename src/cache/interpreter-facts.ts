/**
 * What an interpreter told us about itself (its real executable and version),
 * kept on disk so a run does not pay a pyenv shim's second again. An entry is
 * keyed on the command as found on PATH (path, size, mtime) and on everything
 * a shim consults to pick the real interpreter (PYENV_VERSION, the nearest
 * `.python-version`, pyenv's global version, an active virtualenv); it is
 * used only while the real executable it names is unchanged on disk.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomicSync } from '../fs/atomic-write.ts';
import { digest } from './fingerprint.ts';

export interface FactsKeyInput {
  command: string;
  /** PATH the command is looked up on. */
  path: string;
  env: Record<string, string>;
  cwd: string;
}

function stamp(file: string): string | undefined {
  try {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function which(command: string, searchPath: string, cwd: string): string | undefined {
  if (command.includes('/')) return path.resolve(cwd, command);
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function nearest(name: string, from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const file = path.join(dir, name);
    if (existsSync(file)) {
      try {
        return `${file}:${readFileSync(file, 'utf8')}`;
      } catch {
        return `${file}:unreadable`;
      }
    }
    if (path.dirname(dir) === dir) return '';
  }
}

/** The key, or undefined when the command is not on PATH (then probing gives the error message). */
export function factsKey(input: FactsKeyInput): string | undefined {
  const found = which(input.command, input.path, input.cwd);
  const found_stamp = found && stamp(found);
  if (!found || !found_stamp) return undefined;
  const env = input.env;
  const pyenvRoot = env['PYENV_ROOT'] ?? path.join(env['HOME'] ?? '', '.pyenv');
  return digest(
    found,
    found_stamp,
    input.command,
    input.path,
    env['PYENV_VERSION'] ?? '',
    pyenvRoot,
    nearest('.python-version', input.cwd),
    stamp(path.join(pyenvRoot, 'version')) ?? '',
    env['VIRTUAL_ENV'] ?? '',
    env['CONDA_PREFIX'] ?? '',
  );
}

interface Entry<T> {
  facts: T;
  /** Size and mtime of the real executable when the facts were taken. */
  executable: string;
  stamp: string;
}

export class InterpreterFacts<T> {
  constructor(private readonly file: string) {}

  private readAll(): Record<string, Entry<T>> {
    try {
      const all = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      return all && typeof all === 'object' ? (all as Record<string, Entry<T>>) : {};
    } catch {
      return {};
    }
  }

  get(key: string): T | undefined {
    const entry = this.readAll()[key];
    if (!entry || typeof entry.executable !== 'string') return undefined;
    return stamp(entry.executable) === entry.stamp ? entry.facts : undefined;
  }

  set(key: string, executable: string, facts: T): void {
    const now = stamp(executable);
    if (!now) return;
    try {
      const all = this.readAll();
      all[key] = { facts, executable, stamp: now };
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileAtomicSync(this.file, JSON.stringify(all), { fsync: false });
    } catch {
      // an optimisation only
    }
  }
}
