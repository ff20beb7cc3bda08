/**
 * Process trees, for killing an example's whole tree: its process group plus
 * descendants that left the group (`setsid`, `start_new_session=True`).
 * Read from /proc (Linux); elsewhere a tree is just its group. Synchronous, so
 * it also works in an 'exit' handler.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** Where the process table is read (a parameter so tests can simulate a system without /proc). */
export const PROC_ROOT = '/proc';

/** Whether process trees can be read at all; without /proc (macOS, BSD) a tree is its process group. */
export function canReadTrees(procRoot = PROC_ROOT): boolean {
  return existsSync(`${procRoot}/self`);
}

/** Every process below `pid`, read from /proc while the tree is intact. */
export function descendants(pid: number, procRoot = PROC_ROOT): number[] {
  const found: number[] = [];
  if (!canReadTrees(procRoot)) return found;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop() as number;
    if (current !== pid) found.push(current);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`${procRoot}/${current}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        for (const child of readFileSync(`${procRoot}/${current}/task/${tid}/children`, 'utf8').split(' ')) {
          if (child.trim() !== '') stack.push(Number(child));
        }
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return found;
}

/** Whether `pid` has child processes (false where /proc is missing). */
export function hasDescendants(pid: number | undefined): boolean {
  return pid !== undefined && descendants(pid).length > 0;
}

/** SIGKILL `pid`, its descendants, and everything in its process group. */
export function killTree(pid: number | undefined, procRoot = PROC_ROOT): void {
  if (pid === undefined) return;
  // Where the tree cannot be read, the process group (-pid) is what is killed.
  for (const target of [...descendants(pid, procRoot), -pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
