/**
 * The Python processes as the OS sees them: which interpreter, started how,
 * with what environment, and how a whole process tree is killed. The protocol
 * spoken with a running worker is worker-process.ts's business.
 *
 * The interpreter is asked once for its own `sys.executable`: a pyenv shim
 * costs about a second per start, the real binary behind it a few ms.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeSettings, type RunSettings } from '../../settings.ts';
import { exampleEnv } from '../../sandbox/env.ts';
import { launch, useBwrap, type Launched, type SandboxRequest } from '../../sandbox/launcher.ts';
import { factsKey, InterpreterFacts } from '../../../cache/interpreter-facts.ts';
import { defaultCacheDir } from '../../../cache/location.ts';

export interface PythonInfo {
  /** Absolute path of the real interpreter (not a shim). */
  executable: string;
  version: [number, number, number];
  versionString: string;
}

export class PythonUnavailableError extends Error {
  override name = 'PythonUnavailableError';
}

const MINIMUM: [number, number] = [3, 11];
const HINT = `Set KB_PYTHON to a Python ${MINIMUM.join('.')}+ interpreter, or put python3 on PATH.`;
const PROBE = 'import sys, json; print(json.dumps([sys.executable, list(sys.version_info[:3])]))';

const cache = new Map<string, Promise<PythonInfo>>();

export interface ResolveOptions {
  /**
   * File of the on-disk facts cache (default: `interpreters.json` in the cache folder of the
   * current directory); false probes every time.
   */
  factsFile?: string | false;
  cwd?: string;
}

/**
 * Find the interpreter the settings name (`KB_PYTHON`, config `python`, else `python3`). Cached per
 * process, and on disk by the command's path and mtime and the real interpreter's (see
 * src/cache/interpreter-facts.ts).
 */
export function resolvePython(settings: Pick<RunSettings, 'python' | 'pythonFromEnv' | 'path' | 'hostEnv'> = activeSettings(), options: ResolveOptions = {}): Promise<PythonInfo> {
  const fromEnv = settings.pythonFromEnv;
  const command = settings.python;
  const key = `${command}\0${fromEnv ? '' : settings.path}`;
  let found = cache.get(key);
  if (!found) {
    const cwd = options.cwd ?? process.cwd();
    const factsFile = options.factsFile ?? path.join(defaultCacheDir(cwd), 'interpreters.json');
    const facts = factsFile === false ? undefined : new InterpreterFacts<PythonInfo>(factsFile);
    const diskKey = facts && factsKey({ command, path: settings.path, env: settings.hostEnv, cwd });
    const known = diskKey ? facts!.get(diskKey) : undefined;
    found = known
      ? Promise.resolve(known)
      : probe(command, fromEnv, settings.hostEnv).then((info) => {
          if (diskKey) facts!.set(diskKey, info.executable, info);
          return info;
        });
    cache.set(key, found);
  }
  return found;
}

function probe(command: string, fromEnv: boolean, env: Record<string, string>): Promise<PythonInfo> {
  const named = fromEnv ? `KB_PYTHON=${command}` : 'python3';
  return new Promise((resolve, reject) => {
    // The full environment here: a shim needs its own variables to find the real interpreter.
    execFile(command, ['-c', PROBE], { env, timeout: 30_000 }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const why =
          code === 'ENOENT'
            ? fromEnv ? 'is not an executable' : 'is not on PATH'
            : code === 'EACCES'
              ? 'is not executable'
              : `did not run as Python (${error.message.split('\n')[0]})`;
        reject(new PythonUnavailableError(`Python not found: ${named} ${why}. ${HINT}`));
        return;
      }
      let executable: unknown;
      let version: unknown;
      try {
        [executable, version] = JSON.parse(stdout) as [unknown, unknown];
      } catch {
        reject(new PythonUnavailableError(`Python not found: ${named} did not answer like Python. ${HINT}`));
        return;
      }
      const v = Array.isArray(version) ? version.map(Number) : [];
      const triple: [number, number, number] = [v[0] ?? 0, v[1] ?? 0, v[2] ?? 0];
      const versionString = triple.join('.');
      const where = typeof executable === 'string' && executable !== '' ? executable : command;
      if (triple[0] < MINIMUM[0] || (triple[0] === MINIMUM[0] && triple[1] < MINIMUM[1])) {
        reject(new PythonUnavailableError(`Python too old: ${named} is Python ${versionString} (${where}); need ${MINIMUM.join('.')}+. ${HINT}`));
        return;
      }
      resolve({ executable: path.resolve(where), version: triple, versionString });
    });
  });
}

/** Folders holding an interpreter's files: its prefix, and the real one behind a symlink (a venv). */
export function pythonFolders(python: PythonInfo): string[] {
  const folders = [path.dirname(path.dirname(python.executable))];
  try {
    folders.push(path.dirname(path.dirname(realpathSync(python.executable))));
  } catch {
    // unreadable: the first is all we have
  }
  return folders;
}

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.py', import.meta.url));
/** The worker's folder inside a sandbox's private /tmp. */
const SANDBOX_HOME = '/tmp/kb-worker';

/**
 * Start worker.py in a sandbox (see src/run/sandbox/launcher.ts). fd 3 becomes
 * a socket for the JSON-lines control channel; stdin is /dev/null. The
 * sandbox's first process leads its own process group and PID namespace, so
 * one kill takes every process of every example it ran.
 */
export function spawnWorker(python: PythonInfo, hashSeed: string, settings: RunSettings, request: WorkerSandbox): Launched {
  const sandboxed = useBwrap(settings);
  const home = sandboxed ? SANDBOX_HOME : os.tmpdir();
  // No secret in argv: an example can read /proc/self/cmdline (the key comes on fd 3).
  return launch(python.executable, ['-s', '-B', WORKER_SCRIPT], {
    settings,
    request,
    env: exampleEnv(settings, { home, tmp: sandboxed ? '/tmp' : os.tmpdir(), python: python.executable, hashSeed }),
    cwd: home,
    dirs: sandboxed ? [SANDBOX_HOME] : [],
    readable: [...pythonFolders(python), ...request.readable],
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
}

/** What a worker's sandbox holds besides the engine: the notes' folders, network, limits. */
export interface WorkerSandbox extends SandboxRequest {
  readable: string[];
}

export { killTree } from '../../sandbox/process-tree.ts';

/** Forget what this process learned (tests; a long-lived process after the interpreter changed). */
export function forgetResolvedPythons(): void {
  cache.clear();
}
