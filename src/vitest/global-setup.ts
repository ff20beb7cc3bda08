/**
 * Runs once per vitest run, before any note: resolves the run's settings once
 * (interpreter, bash, sandbox) and hands them to the notes through vitest's
 * `provide`. A missing or too old Python (when notes contain Python examples),
 * or a required sandbox that cannot be made, is one clear error, not one
 * failure per example; a sandbox that cannot be made in `auto` mode is one
 * warning.
 */
import { readFileSync } from 'node:fs';
import { glob } from 'tinyglobby';
import { resolvePython } from '../run/runners/python/interpreter.ts';
import { runSettings, type RunSettings } from '../run/settings.ts';
import { loadConfig } from '../config/index.ts';
import { useBwrap } from '../run/sandbox/launcher.ts';
import { cleanUpThreadsAtExit } from '../run/sandbox/cleanup.ts';

const PYTHON_FENCE = /^[ \t>]*(?:`{3,}|~{3,})[ \t]*(?:python3?|py|pycon)\b/m;

declare module 'vitest' {
  export interface ProvidedContext {
    kbRunSettings: RunSettings;
  }
}

interface Project {
  config: { root: string; include: string[] };
  provide?(key: 'kbRunSettings', value: RunSettings): void;
}

/** Thrown from global setup, vitest prints this one message and fails the run; a stack would only show vitest's internals. */
function clear(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = `${name}: ${message}`;
  return error;
}

export default async function setup(project: Project): Promise<void> {
  const { config } = project;
  cleanUpThreadsAtExit();
  let settings: RunSettings;
  try {
    // The one configuration (kb.config.*, package.json "kb"); KB_PYTHON, KB_BASH and KB_SANDBOX win.
    const kb = await loadConfig({ root: config.root });
    const { timeout: _seconds, ...limits } = kb.limits;
    settings = runSettings({
      ...(kb.python !== 'python3' ? { python: kb.python } : {}),
      bash: kb.bash,
      sandbox: kb.sandbox,
      network: kb.network,
      limits,
    });
  } catch (error) {
    throw clear('KbSettings', (error as Error).message);
  }
  try {
    // Decided once here; without bubblewrap in `auto` mode this prints the one warning and the
    // notes run unsandboxed without asking again.
    if (!useBwrap(settings)) settings = { ...settings, sandbox: 'off' };
  } catch (error) {
    throw clear('SandboxUnavailable', (error as Error).message);
  }
  const files = await glob(config.include, { cwd: config.root, absolute: true, ignore: ['**/node_modules/**'] });
  if (files.some((f) => PYTHON_FENCE.test(readFileSync(f, 'utf8')))) {
    try {
      // Workers then start the real executable directly instead of paying a pyenv shim's second again.
      const python = await resolvePython(settings);
      settings = { ...settings, python: python.executable };
    } catch (error) {
      throw clear('PythonUnavailable', (error as Error).message);
    }
  }
  project.provide?.('kbRunSettings', settings);
}
