/**
 * Shell example bench: `tsx bench/shell-examples.ts [--examples 100]`. Runs N trivial `sh`
 * examples one after the other through the shell runner, with the sandbox as configured
 * (KB_SANDBOX=auto|off), and prints the CPU time per example: this process's own
 * (process.cpuUsage) plus its reaped children's (cutime + cstime of /proc/self/stat, which
 * include their own waited-for descendants: bwrap, bash, prlimit). CPU time, not wall-clock,
 * because a loaded machine makes wall-clock noise.
 */
import { readFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCode } from '../src/run/runners/index.ts';
import { runSettings } from '../src/run/settings.ts';
import { useBwrap } from '../src/run/sandbox/launcher.ts';
import { closeLanes } from '../src/run/runners/shell/lane.ts';
import { descendants } from '../src/run/sandbox/process-tree.ts';
import { numberOption } from './options.ts';

const count = numberOption('examples', 100);
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime + cutime + cstime of a live process. */
function treeCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * TICK_MS;
  } catch {
    return 0;
  }
}

function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) * TICK_MS; // cutime, cstime (fields 16, 17)
}

const settings = runSettings({ sandbox: (process.env['KB_SANDBOX'] as 'auto' | 'off' | undefined) ?? 'auto' });
const root = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-sh-'));
mkdirSync(path.join(root, 'notes'));
const job = () => ({
  runner: 'sh' as const, file: path.join(root, 'notes', 'x.md'), root, code: 'echo hi\n', firstLine: 3, setup: [], teardown: [],
  timeoutMs: 20_000, hashSeed: '0', flags: [], settings, sandbox: { network: false, limits: settings.limits },
});
await runCode(job()); // warm-up: module loading, the bwrap check
const liveBefore = descendants(process.pid).reduce((sum, pid) => sum + treeCpuMs(pid), 0);
const self0 = process.cpuUsage();
const children0 = childrenCpuMs();
const start = performance.now();
for (let i = 0; i < count; i++) {
  const r = await runCode(job());
  if (r.status !== 'passed' || r.stdout !== 'hi\n') throw new Error(`example ${i}: ${JSON.stringify(r)}`);
}
const wall = performance.now() - start;
// Warm lanes are still running: add what each live descendant used (its own time plus its reaped
// children's), then end them. Processes we reaped ourselves are in childrenCpuMs already.
const liveMs = descendants(process.pid).reduce((sum, pid) => sum + treeCpuMs(pid), 0) - liveBefore;
await closeLanes();
const self = process.cpuUsage(self0);
const selfMs = (self.user + self.system) / 1000;
const childrenMs = childrenCpuMs() - children0 + liveMs;
rmSync(root, { recursive: true, force: true });
console.log(`shell examples: ${count}, sandbox ${useBwrap(settings) ? 'on (bwrap)' : 'off'}`);
console.log(`CPU per example: ${((selfMs + childrenMs) / count).toFixed(1)} ms (node ${(selfMs / count).toFixed(1)} ms + children ${(childrenMs / count).toFixed(1)} ms); wall ${(wall / count).toFixed(1)} ms (noise on a loaded machine)`);
