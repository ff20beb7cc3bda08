/**
 * Wall time, CPU time and peak memory (sum of RSS over the whole process tree, sampled) of a
 * command. CPU time is user + system of the whole tree (every process its parent waited for),
 * read with the shell's `times` after the command: on a shared machine it moves far less than
 * wall time.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Measured {
  wallMs: number;
  peakRssMb: number;
  /** User + system CPU time of the command and everything it started and reaped. */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function children(): Map<number, number[]> {
  const tree = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!tree.has(ppid)) tree.set(ppid, []);
      tree.get(ppid)!.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return tree;
}

function treeRssKb(root: number): number {
  const tree = children();
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += m ? Number(m[1]) : 0;
    } catch {
      /* exited */
    }
    stack.push(...(tree.get(pid) ?? []));
  }
  return total;
}

export function measure(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const wrapper = `"$@"; code=$?; echo; echo "${TIMES_MARK}"; times; exit $code`;
    const child = spawn('/bin/sh', ['-c', wrapper, 'sh', command, ...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      if (child.pid) peak = Math.max(peak, treeRssKb(child.pid));
    }, 100);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const at = stdout.lastIndexOf(TIMES_MARK);
      const cpuMs = at >= 0 ? childrenCpuMs(stdout.slice(at + TIMES_MARK.length)) : Number.NaN;
      resolve({ wallMs: performance.now() - start, peakRssMb: peak / 1024, cpuMs, code, stdout: at >= 0 ? stdout.slice(0, at) : stdout, stderr });
    });
  });
}

const TIMES_MARK = '--kb-bench-times--';

/** The second line of `times` (children's user and system time), e.g. `0m1.250s 0m0.310s`, in ms. */
function childrenCpuMs(text: string): number {
  const line = text.trim().split('\n')[1] ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  return parts.length === 2 ? parts[0]! + parts[1]! : Number.NaN;
}
