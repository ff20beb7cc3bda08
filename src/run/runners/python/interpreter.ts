/**
 * The Python processes as the OS sees them: which interpreter, started how,
 * with what environment, and how a whole process tree is killed. The protocol
 * spoken with a running worker is worker-process.ts's business.
 *
 * The interpreter is asked once for its own `sys.executable`: a pyenv shim
 * costs about a second per start, the real binary behind it a few ms.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

/** Find the interpreter: `KB_PYTHON` if set, else `python3`. Cached per process and command. */
export function resolvePython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const fromEnv = env.KB_PYTHON !== undefined && env.KB_PYTHON !== '';
  const command = fromEnv ? (env.KB_PYTHON as string) : 'python3';
  const key = `${command}\0${fromEnv ? '' : (env.PATH ?? '')}`;
  let found = cache.get(key);
  if (!found) {
    found = probe(command, fromEnv, env);
    cache.set(key, found);
  }
  return found;
}

function probe(command: string, fromEnv: boolean, env: NodeJS.ProcessEnv): Promise<PythonInfo> {
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

/**
 * Variables a worker inherits from the parent. Everything else (tokens, secrets,
 * PYTHONPATH, the CI's variables) is dropped.
 */
export const WORKER_ENV_ALLOWLIST: readonly string[] = [
  'PATH', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
  // Windows needs these for the C runtime, sockets and subprocesses.
  'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT',
];

/** Variables set for every worker whatever the parent has. HOME is per example (its temp dir). */
export const WORKER_ENV_FIXED: Readonly<Record<string, string>> = {
  PYTHONIOENCODING: 'utf-8',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONNOUSERSITE: '1',
};

/** The environment a worker starts with. */
export function workerEnv(python: PythonInfo, hashSeed: string, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of WORKER_ENV_ALLOWLIST) {
    const value = parent[name];
    if (value !== undefined) env[name] = value;
  }
  env.LANG ??= 'C.UTF-8';
  env.LC_ALL ??= 'C.UTF-8';
  // `python3` in an example's subprocess is then the same interpreter, not a slow shim.
  const bin = path.dirname(python.executable);
  env.PATH = env.PATH ? `${bin}${path.delimiter}${env.PATH}` : bin;
  env.HOME = os.tmpdir();
  env.PYTHONHASHSEED = hashSeed;
  return { ...env, ...WORKER_ENV_FIXED };
}

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.py', import.meta.url));

/**
 * Start worker.py. fd 3 becomes a socket for the JSON-lines control channel;
 * stdin is /dev/null. `detached` makes the worker lead its own process group,
 * so one kill also takes the children of an example.
 */
export function spawnWorker(python: PythonInfo, hashSeed: string): ChildProcess {
  // No secret in argv: an example can read /proc/self/cmdline (the key comes on fd 3).
  return spawn(python.executable, ['-s', '-B', WORKER_SCRIPT], {
    cwd: os.tmpdir(),
    env: workerEnv(python, hashSeed),
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
}

export { killTree } from '../../sandbox/process-tree.ts';
