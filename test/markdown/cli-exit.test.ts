/**
 * Exit status of every command, spawned as a user runs it: 0 clean, 1
 * problems found, 2 bad usage or an internal error; never a stack trace
 * unless KB_DEBUG=1.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMain } from '../../src/cli-exit.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(repo, 'node_modules/.bin/tsx');
const dir = mkdtempSync(path.join(tmpdir(), 'kb-cli-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STACK = /^\s+at |\.ts:\d+:\d+\)?$/m;

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(tsx, [path.join(repo, 'src', 'cli', 'bin.ts'), script, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, KB_DEBUG: '', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

writeFileSync(path.join(dir, 'deep.md'), `# Top\n\n${'1. '.repeat(3000)}x\n\n${'>'.repeat(3000)} y\n\n## After\n\n[ok](#after)\r\rline\u2028sep [x](#top)\0\n`);
writeFileSync(path.join(dir, 'clean.md'), '# Clean\r\rSee [top](#clean).\r');

describe.each(['toc', 'links'])('%s', { timeout: 300_000 }, (script) => {
  const check = script === 'toc' ? ['--check'] : [];

  it('a hostile note: status 1, the problem at file:line:column, no stack trace', () => {
    const result = run(script, [...check, 'deep.md']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^deep\.md:3:301: lists, quotes or emphasis nested more than 100 levels deep.*\[nesting-too-deep\]$/m);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(STACK);
  });

  it('a clean note with CR-only line endings: status 0', () => {
    expect(run(script, [...check, 'clean.md']).status).toBe(0);
  });

  it('bad usage: status 2, no stack trace', () => {
    for (const args of [['--bogus'], ['no-such-file.md']]) {
      const result = run(script, args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(STACK);
    }
  });
});

describe.each(['report', 'update'])('%s', { timeout: 300_000 }, (script) => {
  it('bad usage: status 2, no stack trace', () => {
    for (const args of [['--bogus'], ['--root']]) {
      const result = run(script, args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).not.toMatch(STACK);
    }
  });
});

describe('runMain', () => {
  const capture = async (env: NodeJS.ProcessEnv, command: () => number | Promise<number>) => {
    let stderr = '';
    const status = await runMain('cmd', command, { env, stderr: (text) => (stderr += text) });
    return { status, stderr };
  };

  it('passes the command status through', async () => {
    expect((await capture({}, () => 1)).status).toBe(1);
    expect((await capture({}, async () => 0)).status).toBe(0);
  });

  it('an internal error is status 2 and one line, not status 1 and a stack trace', async () => {
    const result = await capture({}, () => {
      throw new RangeError('Maximum call stack size exceeded\nmore');
    });
    expect(result).toEqual({ status: 2, stderr: 'cmd: internal error: Maximum call stack size exceeded (KB_DEBUG=1 shows the stack trace)\n' });
  });

  it('KB_DEBUG=1 shows the stack trace', async () => {
    const result = await capture({ KB_DEBUG: '1' }, async () => {
      throw new Error('boom');
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^cmd: internal error: boom\nError: boom\n\s+at /);
  });
});
