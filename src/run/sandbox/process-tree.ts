/**
 * Process trees, for killing an example's whole tree: its process group plus
 * descendants that left the group (`setsid`, `start_new_session=True`).
 * Read from /proc (Linux); elsewhere a tree is just its group. Synchronous, so
 * it also works in an 'exit' handler.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Every process below `pid`, read from /proc while the tree is intact. */
export function descendants(pid: number): number[] {
  const found: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop() as number;
    if (current !== pid) found.push(current);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${current}/task`);
    } catch {
      continue;
    }
    for (const tid of tasks) {
      try {
        for (const child of readFileSync(`/proc/${current}/task/${tid}/children`, 'utf8').split(' ')) {
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
export function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  for (const target of [...descendants(pid), -pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
