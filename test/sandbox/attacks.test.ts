/**
 * Each guarantee of the sandbox, tried the way an attacker would: the cases in
 * fixtures/cases.ts run through the real runners (python, sh, console, js) in
 * a process whose environment holds a secret, then the machine is searched
 * for what they tried to leave behind. Needs bubblewrap; skipped, with the
 * reason in the name, where it cannot make a sandbox.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/run/result.ts';
import { checkBwrap } from '../../src/run/sandbox/bwrap.ts';
import { survivors } from './fixtures/processes.ts';

const bwrap = checkBwrap('bwrap');
const script = path.resolve(import.meta.dirname, 'fixtures/attack.ts');
const MARK = String(Math.floor(Math.random() * 9e8) + 1e8);
const root = mkdtempSync(path.join(os.tmpdir(), 'kb-attack-'));
let results: Record<string, RunResult> = {};
let stderr = '';
let harnessPid = 0;

/**
 * Files under `dir` (a few levels deep) whose name contains `text`. `node_modules` and `.git`
 * folders are not searched: no sandbox can write there (a sandbox sees the host's /tmp only
 * through its run's own folders), and a clone or a project under /tmp makes them most of the
 * machine's /tmp (160,000 entries and 9 s a search on a busy one, which timed this file out).
 */
function filesNamed(dir: string, text: string, depth = 4): string[] {
  const found: string[] = [];
  let entries: import('node:fs').Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.name.includes(text)) found.push(full);
    if (e.isDirectory() && depth > 0 && e.name !== 'node_modules' && e.name !== '.git') found.push(...filesNamed(full, text, depth - 1));
  }
  return found;
}

describe.skipIf(!bwrap.ok)(`attacks on the sandbox${bwrap.ok ? '' : ` (skipped: ${bwrap.reason})`}`, () => {
  beforeAll(() => {
    mkdirSync(path.join(root, 'notes'));
    mkdirSync(path.join(root, 'node_modules'));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, root, MARK, 'auto'], {
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, KB_CANARY_SECRET: `hunter2-${MARK}` },
    });
    stderr = run.stderr;
    harnessPid = run.pid ?? 0;
    results = JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as Record<string, RunResult>;
  }, 250_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const result = (name: string): RunResult => {
    const r = results[name];
    if (!r) throw new Error(`no result for ${name}; the harness said:\n${stderr}`);
    return r;
  };

  it.each(['secret-py', 'secret-sh', 'secret-js'])('%s: no process visible to the example holds the run\'s secret', (name) => {
    expect(result(name).status).toBe('passed');
    expect(result(name).stdout).toMatch(/^found 0\b/);
    expect(result(name).stdout).not.toContain('hunter2');
    expect(result(name).stdout.toLowerCase()).not.toContain('true');
  });

  it.each(['escape-sh', 'escape-console', 'escape-py', 'escape-js'])('%s: setsid, double-fork and pid-changing daemons do not outlive the run', async (name) => {
    expect(result(name).stdout).toContain('started');
    expect(await survivors(MARK)).toEqual([]);
  });

  it.each(['write-sh', 'write-py', 'write-js'])('%s: the repository and node_modules are read-only', (name) => {
    expect(result(name).stdout).toContain('tried');
    const suffix = name.split('-')[1] as string;
    expect(existsSync(path.join(root, `pwned-${suffix}`))).toBe(false);
    expect(existsSync(path.join(root, 'node_modules', `pwned-${suffix}`))).toBe(false);
  });

  it.each(['memory-py', 'memory-sh', 'memory-js'])('%s: 2 GiB over the 1 GiB memory limit fails with a message naming the limit', (name) => {
    const r = result(name);
    expect(r.status).not.toBe('passed');
    expect(`${r.message ?? ''}\n${r.exception?.traceback ?? ''}`).toMatch(/memory limit is 1 GiB; raise it with `memory=2G` on the example/);
  });

  it.each(['forks-sh', 'forks-py'])('%s: 400 processes against the limit of 256 fail that example only', (name) => {
    const r = result(name);
    expect(r.status).not.toBe('passed');
    expect(r.stdout).not.toContain('spawned');
    expect(`${r.message ?? ''}\n${r.exception?.traceback ?? ''}`).toMatch(/process limit \(256 processes at once\); raise it with `processes=512`/);
  });

  it('filesize-py: a file over the file size limit fails with a message naming it', () => {
    const r = result('filesize-py');
    expect(r.status).toBe('failed');
    expect(r.exception?.traceback).toMatch(/file size limit of 256 MiB; raise it with `filesize=512M`/);
  });

  it.each(['disk-py', 'disk-sh', 'disk-js'])('%s: 600 MiB of files against the 512 MiB disk limit fails with a message naming it', (name) => {
    const r = result(name);
    expect(r.status).toBe('failed');
    expect(r.stdout).not.toContain('filled');
    expect(`${r.message ?? ''}\n${r.exception?.traceback ?? ''}`).toMatch(/disk limit of 512 MiB .*raise it with `disk=1G`/);
  });

  it('meta-sh: 600 MiB written into the runner\'s own folder ($__KB_META) hits the disk limit and leaves nothing on the host', () => {
    const r = result('meta-sh');
    expect(r.status).toBe('failed');
    expect(r.stdout).not.toContain('filled');
    expect(r.message).toMatch(/disk limit of 512 MiB .*raise it with `disk=1G`/);
    expect(filesNamed(os.tmpdir(), `kb-meta-fill-${MARK}`)).toEqual([]);
    expect(result('after-meta-sh').stdout).toBe('fine\n');
  });

  it.each(['after-memory-py', 'after-memory-js', 'after-forks-sh', 'after-disk-py', 'after-disk-js'])('%s: the next example runs normally', (name) => {
    expect(result(name).status).toBe('passed');
    expect(result(name).stdout).toBe('fine\n');
  });

  it.each(['leftover-py', 'leftover-sh'])('%s: a timed-out example leaves no file on the machine', (name) => {
    expect(result(name).status).toBe('timeout');
    expect(filesNamed(os.tmpdir(), `kb-leftover`).filter((f) => f.includes(MARK))).toEqual([]);
  });

  it('no folder and no cgroup of the run is left behind', () => {
    expect(harnessPid).toBeGreaterThan(0);
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith(`kb-run-${harnessPid}-`))).toEqual([]);
    const cgroups = ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids', '/sys/fs/cgroup'].flatMap((d) => filesNamed(d, `kb-${harnessPid}-`, 3));
    expect(cgroups).toEqual([]);
  });

  it.each([
    ['network-py', 'refused'],
    ['network-sh', 'refused'],
    ['network-on-py', 'connected'],
  ])('%s: the network is off unless the example asks for it (%s)', (name, expected) => {
    expect(result(name).status).toBe('passed');
    expect(result(name).stdout).toBe(`${expected}\n`);
  });
});
