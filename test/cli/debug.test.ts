/**
 * `"debug": true` in the configuration shows the stack trace of an internal error, as
 * `KB_DEBUG=1` does, from the moment the command has loaded its configuration; before that
 * (bad arguments, a configuration that cannot be read) only `KB_DEBUG` can say.
 *
 * The failing command is registered for the test: it starts as every command does
 * (src/cli/command.ts) and then throws, as a bug would.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/command.ts';
import { COMMANDS, runKb } from '../../src/cli/main.ts';

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

function project(config: object): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-debug-'));
  mkdirSync(path.join(root, 'docs'));
  writeFileSync(path.join(root, 'docs', 'a.md'), '# A\n');
  writeFileSync(path.join(root, 'kb.config.json'), JSON.stringify({ notes: ['docs/**/*.md'], ...config }));
  return root;
}

async function kb(cwd: string, env: NodeJS.ProcessEnv, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runKb(argv, { cwd, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

beforeAll(() => {
  COMMANDS['crash'] = {
    summary: 'a command with a bug (test only)',
    run: async (args, io) => {
      const started = await startCommand({ name: 'crash', usage: 'Usage: kb crash', options: { early: { type: 'boolean' } } }, args, io);
      if (typeof started === 'number') return started;
      throw new Error('a bug after the configuration was loaded');
    },
  };
  COMMANDS['crash-early'] = {
    summary: 'a command with a bug before its configuration (test only)',
    run: async () => {
      throw new Error('a bug before the configuration was loaded');
    },
  };
});

afterAll(() => {
  delete COMMANDS['crash'];
  delete COMMANDS['crash-early'];
});

describe('the stack trace of an internal error', () => {
  it('"debug": true in the configuration shows it', async () => {
    const result = await kb(project({ debug: true }), {}, 'crash');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kb crash: internal error: a bug after the configuration was loaded\nError: a bug after/);
    expect(result.stderr).toMatch(STACK);
  });

  it('without it: one line, pointing at KB_DEBUG', async () => {
    for (const config of [{}, { debug: false }]) {
      const result = await kb(project(config), {}, 'crash');
      expect(result).toEqual({ code: 2, stdout: '', stderr: 'kb crash: internal error: a bug after the configuration was loaded (KB_DEBUG=1 shows the stack trace)\n' });
    }
  });

  it('KB_DEBUG wins over the configuration, either way', async () => {
    expect((await kb(project({ debug: true }), { KB_DEBUG: '0' }, 'crash')).stderr).not.toMatch(STACK);
    expect((await kb(project({ debug: false }), { KB_DEBUG: '1' }, 'crash')).stderr).toMatch(STACK);
  });

  it('before the configuration is loaded, only KB_DEBUG says', async () => {
    const root = project({ debug: true });
    expect((await kb(root, {}, 'crash-early')).stderr).toBe('kb crash-early: internal error: a bug before the configuration was loaded (KB_DEBUG=1 shows the stack trace)\n');
    expect((await kb(root, { KB_DEBUG: '1' }, 'crash-early')).stderr).toMatch(STACK);
  });

  it('a configuration that cannot be used is still one message, debug or not', async () => {
    const result = await kb(project({ debug: true, sandbx: 'off' }), {}, 'crash');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^crash: the configuration cannot be used:\nkb\.config\.json:1:\d+: unknown key "sandbx"/);
    expect(result.stderr).not.toMatch(STACK);
  });
});
