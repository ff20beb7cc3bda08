/**
 * Starting an example process (a warm Python worker, a JavaScript lane, a
 * shell example) in a sandbox:
 *
 * - bubblewrap (bwrap.ts): its own PID namespace (when its first process
 *   exits, every process in it dies: `setsid`, double forks and forking
 *   daemons included; `--die-with-parent` ends it with Node), its own /proc
 *   (the parent's environment is out of reach), no network unless asked, the
 *   repository, node_modules and system folders read-only, a private /tmp of
 *   limited size;
 * - limits (limits.ts): `prlimit` for the address space and file size of
 *   each process, a cgroup (cgroup.ts) for the memory and process count of
 *   the whole tree where the machine allows;
 * - the one allow-listed environment (env.ts), given by the caller.
 *
 * Without bubblewrap the process runs as before, with the limits, after ONE
 * warning per process naming what is not isolated; `sandbox: 'required'`
 * makes that an error instead.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSettings } from '../settings.ts';
import { bwrapArgs, checkBwrap } from './bwrap.ts';
import { makeCgroup, type Cgroup } from './cgroup.ts';
import { trackProcess } from './cleanup.ts';
import { MiB, type Limits } from './limits.ts';

/** What one example (or one worker's examples) asks of its sandbox. */
export interface SandboxRequest {
  network: boolean;
  limits: Limits;
}

export interface LaunchOptions {
  settings: RunSettings;
  request: SandboxRequest;
  env: Record<string, string>;
  /** Working folder: inside the private /tmp, or a writable host folder. */
  cwd: string;
  /** Host paths readable at the same place (the notes' repository, an interpreter's prefix). */
  readable?: string[];
  /** Host folders writable at the same place. */
  writable?: string[];
  /** Folders to make in the private /tmp (they exist on the host only without a sandbox). */
  dirs?: string[];
  stdio: StdioOptions;
  /** The process applies the per-process limits to its own children (a shell lane's controller): no prlimit around it. */
  limitsInside?: boolean;
}

export interface Launched {
  child: ChildProcess;
  sandboxed: boolean;
  cgroup?: Cgroup;
  /** Stop tracking and remove the cgroup; call when the process has closed. */
  dispose(): void;
}

export class SandboxUnavailableError extends Error {
  override name = 'SandboxUnavailableError';
}

/** The package's own folder (worker.py, child.mjs are read from it). */
const ENGINE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** What a sandbox without bubblewrap does not give; the warning lists it. */
export const UNISOLATED = 'examples can read the run\'s environment through /proc, write into the repository and node_modules, use the network, and leave processes running after the run';

export function unavailableMessage(reason: string): string {
  return `the sandbox is required (sandbox: 'required' or KB_SANDBOX=required) but bubblewrap is unusable: ${reason}. Install bubblewrap, or set KB_SANDBOX=auto to run without isolation`;
}

export function warningMessage(reason: string): string {
  return `kb-doctest: warning: examples run WITHOUT a sandbox: ${reason}. Without it ${UNISOLATED}; memory, file size and process limits still apply. Set KB_SANDBOX=required to make this an error.`;
}

let warned = false;

/** Whether this run uses bubblewrap; warns once, or throws with `required`. */
export function useBwrap(settings: RunSettings, warn: (text: string) => void = (t) => process.stderr.write(`${t}\n`)): boolean {
  if (settings.sandbox === 'off') return false;
  const check = checkBwrap(settings.bwrap);
  if (check.ok) return true;
  if (settings.sandbox === 'required') throw new SandboxUnavailableError(unavailableMessage(check.reason ?? 'unknown'));
  if (!warned) {
    warned = true;
    warn(warningMessage(check.reason ?? 'unknown'));
  }
  return false;
}

/** Where `prlimit` is, if anywhere (util-linux). */
const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p));

/** Sandboxes started so far in this process (tests count them: a lane is one sandbox for many examples). */
let launches = 0;
export function launchCount(): number {
  return launches;
}

/** The `prlimit … --` prefix for one process (empty where there is no prlimit). */
export function limitArgs(limits: Limits, cgroup: Cgroup | undefined, sandboxed: boolean): string[] {
  if (!PRLIMIT) return [];
  const args = [PRLIMIT, `--as=${limits.memory}`, `--fsize=${limits.fileSize}`];
  // RLIMIT_NPROC counts every process of the user on the machine, except in a sandbox's own user
  // namespace, and does not bind root: only used where no pids cgroup does the job.
  const root = process.getuid?.() === 0;
  if (!cgroup?.capsProcesses && sandboxed && !root) args.push(`--nproc=${limits.processes}`);
  return [...args, '--'];
}

/** Host paths worth reading inside: real paths too, so a symlinked node_modules (pnpm) resolves. */
function withRealPaths(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    out.push(p);
    try {
      const real = realpathSync(p);
      if (real !== p) out.push(real);
    } catch {
      // missing: --ro-bind-try skips it
    }
  }
  return out;
}

export function launch(command: string, args: string[], options: LaunchOptions): Launched {
  const { settings, request } = options;
  const sandboxed = useBwrap(settings);
  const limits = request.limits;
  const cgroup = makeCgroup(limits, limits.diskSize + 64 * MiB);
  const inner = [...(options.limitsInside ? [] : limitArgs(limits, cgroup, sandboxed)), command, ...args];
  let argv: string[];
  if (sandboxed) {
    const readable = withRealPaths([ENGINE_ROOT, path.dirname(path.dirname(process.execPath)), ...(options.readable ?? [])]);
    argv = [
      settings.bwrap,
      ...bwrapArgs({ readable, writable: options.writable ?? [], tmpSize: limits.diskSize, dirs: options.dirs ?? [], network: request.network, cwd: options.cwd }),
      '--',
      ...inner,
    ];
  } else {
    argv = inner;
  }
  if (cgroup) {
    // The first process joins the cgroup before it starts anything, then becomes the sandbox.
    const join = cgroup.dirs.map((_, i) => `echo $$ > "$${i + 1}/cgroup.procs"`).join(' && ');
    argv = ['/bin/sh', '-c', `${join} && shift ${cgroup.dirs.length} && exec "$@"`, 'kb-sandbox', ...cgroup.dirs, ...argv];
  }
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: sandboxed ? '/' : options.cwd,
    env: options.env,
    stdio: options.stdio,
    detached: true,
  });
  if (sandboxed) launches++;
  const forget = trackProcess(child.pid);
  return {
    child,
    sandboxed,
    ...(cgroup ? { cgroup } : {}),
    dispose() {
      forget();
      cgroup?.remove();
    },
  };
}
