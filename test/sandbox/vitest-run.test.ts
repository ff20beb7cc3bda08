/**
 * The sandbox end to end, through vitest on a fixture knowledge base as
 * `npm test` runs it: an attacker's note finds no secret and leaves nothing;
 * a run stopped with Ctrl-C (SIGINT) or SIGTERM while examples are running
 * leaves no process and no folder behind.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBwrap } from '../../src/run/sandbox/bwrap.ts';
import { processesWith, survivors } from './fixtures/processes.ts';

const bwrap = checkBwrap('bwrap');
const script = path.resolve(import.meta.dirname, 'fixtures/run-kb.ts');
const root = mkdtempSync(path.join(os.tmpdir(), 'kb-sandbox-kb-'));
cpSync(path.resolve(import.meta.dirname, 'fixtures/kb'), root, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!bwrap.ok)(`a sandboxed vitest run${bwrap.ok ? '' : ` (skipped: ${bwrap.reason})`}`, () => {
  it('an attacker\'s note: no secret found, no process left, nothing written into the repository', async () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, root, 'attack'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, KB_CANARY_SECRET: 'hunter2' },
    });
    expect(run.stdout, run.stderr).toContain('passed example at line 5');
    expect(run.stdout).toContain('passed example at line 22');
    expect(existsSync(path.join(root, 'notes', 'pwned.txt'))).toBe(false);
    expect(await survivors('9878.24680')).toEqual([]);
  }, 130_000);

  it.each(['SIGINT', 'SIGTERM'] as const)('a run stopped with %s leaves no process and no folder', async (signal) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, root, 'slow'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Wait until both examples are running (their sleeps are visible), then stop the run.
    const until = Date.now() + 60_000;
    while (processesWith('9879.13579').length === 0 || processesWith('9879.97531').length === 0) {
      if (Date.now() > until) throw new Error('the examples did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // The shell example's files live in its lane's private /tmp, not in a host folder of the run.
    const runFolders = readdirSync(os.tmpdir()).filter((n) => n.startsWith(`kb-run-${child.pid}-`));
    expect(runFolders.flatMap((n) => readdirSync(path.join(os.tmpdir(), n), { recursive: true }).map(String)).filter((f) => f.includes('kb-stopped-file'))).toEqual([]);
    child.kill(signal);
    await exited;
    expect(await survivors('9879.')).toEqual([]);
    expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith(`kb-run-${child.pid}-`))).toEqual([]);
  }, 90_000);
});
