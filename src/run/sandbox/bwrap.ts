/**
 * Bubblewrap: whether it works here (tried once per binary and cached) and the
 * command line of one sandbox. See launcher.ts for what a sandbox holds.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface BwrapCheck {
  ok: boolean;
  /** Why not, for the warning and the `required` error. */
  reason?: string;
}

const checked = new Map<string, BwrapCheck>();

/** Try `bwrap --ro-bind / / true` once: a missing binary or no user namespaces both show here. */
export function checkBwrap(bin: string): BwrapCheck {
  let result = checked.get(bin);
  if (result) return result;
  if (process.platform !== 'linux') {
    result = { ok: false, reason: `bubblewrap needs Linux (this is ${process.platform})` };
  } else {
    const run = spawnSync(bin, ['--ro-bind', '/', '/', '--unshare-pid', '--unshare-net', '--proc', '/proc', '--dev', '/dev', 'true'], { encoding: 'utf8', timeout: 10_000 });
    const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT') result = { ok: false, reason: `${bin} was not found (install the bubblewrap package)` };
    else if (run.error) result = { ok: false, reason: `${bin} did not run: ${run.error.message}` };
    else if (run.status !== 0) result = { ok: false, reason: `${bin} cannot make a sandbox here: ${(run.stderr || `exit status ${run.status}`).trim().split('\n')[0]} (user namespaces may be disabled, as in many containers)` };
    else result = { ok: true };
  }
  checked.set(bin, result);
  return result;
}

/**
 * Take the verdict of a check made elsewhere in this run (vitest's global setup, in its main
 * process) instead of trying bubblewrap again: each fresh test worker of a watch-mode rerun
 * would otherwise wait ~20 ms on the same `spawnSync`.
 */
export function trustBwrapCheck(bin: string, result: BwrapCheck): void {
  checked.set(bin, result);
}

/** System folders every sandbox sees read-only, when they exist. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];
/** Files of /etc that are secrets even read-only. */
const MASKED = ['/etc/shadow', '/etc/gshadow', '/etc/shadow-', '/etc/gshadow-', '/etc/sudoers'];

export interface BwrapLayout {
  /** Host paths visible read-only at the same place (the repository, node_modules, interpreters). */
  readable: string[];
  /** Host folders the sandbox may write, at the same place. */
  writable: string[];
  /** Size of the private /tmp (a tmpfs), in bytes. */
  tmpSize: number;
  /** Folders made inside the private /tmp before the command starts. */
  dirs: string[];
  network: boolean;
  cwd: string;
}

/** `bwrap` arguments (without the command) for one sandbox. */
export function bwrapArgs(layout: BwrapLayout): string[] {
  const args = [
    '--die-with-parent',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(layout.network ? [] : ['--unshare-net']),
    '--hostname', 'kb-sandbox',
  ];
  for (const dir of SYSTEM_DIRS) args.push('--ro-bind-try', dir, dir);
  for (const file of MASKED) if (existsSync(file)) args.push('--ro-bind', '/dev/null', file);
  if (existsSync('/etc/ssh')) args.push('--tmpfs', '/etc/ssh');
  args.push('--proc', '/proc', '--dev', '/dev');
  args.push('--size', String(layout.tmpSize), '--tmpfs', '/tmp');
  // Inside the private /tmp first, then binds (which may lie under /tmp on the host, e.g. a test's folder).
  for (const dir of layout.dirs) args.push('--dir', dir);
  for (const dir of unique(layout.readable)) args.push('--ro-bind-try', dir, dir);
  for (const dir of unique(layout.writable)) args.push('--bind', dir, dir);
  args.push('--chdir', layout.cwd);
  return args;
}

/** Drop duplicates and paths already covered by another entry (bind order would hide nothing, but keep it short). */
function unique(paths: string[]): string[] {
  const sorted = [...new Set(paths)].sort();
  return sorted.filter((p, i) => !sorted.slice(0, i).some((q) => p.startsWith(`${q}/`)));
}
