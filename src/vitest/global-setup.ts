/**
 * Runs once per vitest run, before any note: when notes contain Python
 * examples, resolve the interpreter here so a missing or too old Python is one
 * clear error naming KB_PYTHON, not one failure per example.
 */
import { readFileSync } from 'node:fs';
import { glob } from 'tinyglobby';
import { resolvePython } from '../run/runners/python/interpreter.ts';

const PYTHON_FENCE = /^[ \t>]*(?:`{3,}|~{3,})[ \t]*(?:python3?|py|pycon)\b/m;

export default async function setup({ config }: { config: { root: string; include: string[] } }): Promise<void> {
  const files = await glob(config.include, { cwd: config.root, absolute: true, ignore: ['**/node_modules/**'] });
  if (!files.some((f) => PYTHON_FENCE.test(readFileSync(f, 'utf8')))) return;
  try {
    const python = await resolvePython();
    // Workers (threads share this environment, forks inherit it) then probe the real
    // executable directly instead of paying a pyenv shim's second again.
    process.env['KB_PYTHON'] = python.executable;
  } catch (error) {
    // Thrown from global setup, vitest prints this one message and fails the run; the
    // stack would only show vitest's internals, so the error carries none.
    const clear = new Error((error as Error).message);
    clear.name = 'PythonUnavailable';
    clear.stack = `${clear.name}: ${clear.message}`;
    throw clear;
  }
}
