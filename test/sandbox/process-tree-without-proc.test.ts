/**
 * Where /proc is missing (macOS), killing an example's tree falls back to its
 * process group. Simulated here by pointing the reader at a folder without a
 * process table; the real group kill is observed on real processes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canReadTrees, descendants, killTree } from '../../src/run/sandbox/process-tree.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return condition();
}

describe('process trees without /proc', () => {
  const noProc = mkdtempSync(path.join(tmpdir(), 'kb-no-proc-'));

  it('reads no tree, and says so', () => {
    expect(canReadTrees(noProc)).toBe(false);
    expect(descendants(process.pid, noProc)).toEqual([]);
  });

  it.skipIf(process.platform === 'win32')('kills the whole process group, grandchildren included', async () => {
    // A group leader whose child prints its pid and stays; neither is reached through /proc.
    const leader = spawn('sh', ['-c', 'sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const grandchild = await new Promise<number>((resolve) => leader.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(alive(grandchild)).toBe(true);
    killTree(leader.pid, noProc);
    expect(await until(() => !alive(grandchild))).toBe(true);
    await new Promise((resolve) => (leader.exitCode !== null || leader.signalCode !== null ? resolve(undefined) : leader.once('exit', resolve)));
    expect(leader.signalCode).toBe('SIGKILL');
  });

  it.skipIf(!canReadTrees())('with /proc, finds a child that left the group', async () => {
    const leader = spawn('sh', ['-c', 'setsid sleep 60 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const escaped = await new Promise<number>((resolve) => leader.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(await until(() => descendants(leader.pid!).length > 0)).toBe(true);
    killTree(leader.pid);
    expect(await until(() => !alive(escaped))).toBe(true);
  });
});
