/**
 * A cgroup per sandbox, where the machine lets us make one (cgroup v1
 * `memory` and `pids` controllers, or a delegated cgroup v2): a memory cap for
 * the whole process tree (tmpfs pages included) and a cap on processes, so a
 * fork bomb fails its own example only. Found and tried once per process;
 * without it, the rlimits set by the launcher still apply.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Limits } from './limits.ts';
import { removeCgroupDir, removeStale, trackCgroup } from './cleanup.ts';

interface Hierarchy {
  /** Folders under which this process may make cgroups: one per controller (v1), or one (v2). */
  memory?: string;
  pids?: string;
  v2: boolean;
}

let found: Hierarchy | null | undefined;

function ownCgroups(): Hierarchy | null {
  let text = '';
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return null;
  }
  const h: Hierarchy = { v2: false };
  for (const line of text.split('\n')) {
    const [, controllers, where] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || where === undefined) continue;
    for (const c of controllers.split(',')) {
      if (c === 'memory' || c === 'pids') {
        const dir = path.join('/sys/fs/cgroup', c, where);
        if (existsSync(dir)) h[c] = dir;
      }
    }
  }
  if (!h.memory && !h.pids) {
    const where = /^0::(.*)$/m.exec(text)?.[1];
    const dir = where !== undefined ? path.join('/sys/fs/cgroup', where) : undefined;
    if (dir && existsSync(path.join(dir, 'cgroup.controllers'))) {
      h.v2 = true;
      h.memory = h.pids = dir;
    }
  }
  // Usable only if we can make (and remove) a child cgroup there.
  for (const c of ['memory', 'pids'] as const) {
    const dir = h[c];
    if (!dir) continue;
    const probe = path.join(dir, `kb-probe-${process.pid}-${randomBytes(3).toString('hex')}`);
    try {
      mkdirSync(probe);
      removeCgroupDir(probe);
      removeStale(dir, 'kb-', (entry) => removeCgroupDir(entry));
    } catch {
      delete h[c];
    }
  }
  return h.memory || h.pids ? h : null;
}

export interface Cgroup {
  /** Folders whose `cgroup.procs` the sandbox's first process joins. */
  dirs: string[];
  /** Whether this cgroup caps the number of processes (else the launcher falls back to RLIMIT_NPROC). */
  capsProcesses: boolean;
  /** Whether the memory cap killed a process (read after the sandbox ended or an example failed). */
  memoryHit(): boolean;
  /** Whether a fork was refused by the process cap. */
  processesHit(): boolean;
  remove(): void;
}

function write(dir: string, file: string, value: string): boolean {
  try {
    writeFileSync(path.join(dir, file), value);
    return true;
  } catch {
    return false;
  }
}

function counter(dir: string | undefined, file: string, key?: string): number {
  if (!dir) return 0;
  try {
    const text = readFileSync(path.join(dir, file), 'utf8');
    if (key === undefined) return Number(text.trim()) || 0;
    return Number(new RegExp(`^${key} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** A fresh cgroup with these limits, or undefined when the machine gives us none. */
export function makeCgroup(limits: Limits, memoryExtra: number): Cgroup | undefined {
  found ??= ownCgroups();
  if (!found) return undefined;
  const name = `kb-${process.pid}-${randomBytes(6).toString('hex')}`;
  const h = found;
  const memory = h.memory ? path.join(h.memory, name) : undefined;
  const pids = h.pids && h.pids !== h.memory ? path.join(h.pids, name) : h.pids ? memory : undefined;
  const dirs = [...new Set([memory, pids].filter((d): d is string => d !== undefined))];
  try {
    for (const dir of dirs) {
      mkdirSync(dir);
      trackCgroup(dir);
    }
  } catch {
    for (const dir of dirs) removeCgroupDir(dir);
    return undefined;
  }
  const cap = String(limits.memory + memoryExtra);
  if (memory) {
    if (h.v2) write(memory, 'memory.max', cap) && write(memory, 'memory.swap.max', '0');
    else write(memory, 'memory.limit_in_bytes', cap) && write(memory, 'memory.memsw.limit_in_bytes', cap);
  }
  if (pids) write(pids, 'pids.max', String(limits.processes));
  return {
    dirs,
    capsProcesses: pids !== undefined,
    memoryHit: () => (h.v2 ? counter(memory, 'memory.events', 'oom_kill') : counter(memory, 'memory.oom_control', 'oom_kill')) > 0,
    processesHit: () => (h.v2 ? counter(pids, 'pids.events', 'max') : counter(pids, 'pids.events', 'max')) > 0,
    remove: () => {
      for (const dir of dirs) removeCgroupDir(dir);
    },
  };
}
