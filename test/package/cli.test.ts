/** `kb` in-process: the dispatcher, usage errors and each command's --json. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKb } from '../../src/cli/main.ts';

function project(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-cli-'));
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ kb: { notes: ['docs/**/*.md'] } }));
  mkdirSync(path.join(root, 'docs'));
  writeFileSync(path.join(root, 'docs', 'a.md'), '# A\n\n<!-- toc -->\n<!-- tocstop -->\n\n## B\n\n[gone](gone.md) and [here](#b)\n');
  return root;
}

async function kb(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runKb(argv, { cwd, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('kb', () => {
  it('links --json: the problems with file, line, column, rule id and reason; exit 1', async () => {
    const result = await kb(project(), 'links', '--json', '--quiet');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      notes: 1,
      errors: 1,
      warnings: 0,
      problems: [{ file: 'docs/a.md', line: 8, column: 1, ruleId: 'missing-file', reason: expect.stringContaining('gone.md'), severity: 'error' }],
    });
  });

  it('links reads the configuration: without paths it checks the configured notes', async () => {
    const result = await kb(project(), 'links');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('docs/a.md:8:1');
  });

  it.each([
    [['links', 'no-such-folder'], /^links: no such file or folder: no-such-folder; `kb links --help` lists the options\n$/],
    [['links', '--jsn'], /^links: unknown option --jsn \(did you mean --json\?\); `kb links --help` lists the options\n$/],
    [['lnks'], /did you mean "links"/],
    [['toc', '--chek'], /did you mean --check/],
  ])('%j is bad usage: exit 2, no stack trace', async (argv, message) => {
    const result = await kb(project(), ...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('toc --check reports a stale TOC (exit 1), toc writes it (exit 0), then it is current', async () => {
    const root = project();
    expect((await kb(root, 'toc', '--check', 'docs')).code).toBe(1);
    expect((await kb(root, 'toc', 'docs')).code).toBe(0);
    expect((await kb(root, 'toc', '--check', 'docs')).code).toBe(0);
  });

  it('--help lists the commands; --version prints the package version', async () => {
    const help = await kb(project(), '--help');
    expect(help.code).toBe(0);
    for (const command of ['toc', 'links', 'update', 'report']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect((await kb(project(), '--version')).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
