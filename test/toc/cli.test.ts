/** `npm run toc`: in process on temp copies, and once as a real process. */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTocCli } from '../../src/toc/cli.ts';
import { cases, FIXTURES, REPO, tempDir } from './helpers.ts';

function run(args: string[], cwd: string): { code: number; out: string; err: string } {
  const out: string[] = [];
  const err: string[] = [];
  const code = runTocCli(args, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function kbWithStaleNote(): string {
  const root = tempDir();
  mkdirSync(path.join(root, 'notes'));
  const seed = cases().find((c) => c.name === 'seed')?.input ?? '';
  writeFileSync(path.join(root, 'notes', 'seed.md'), seed);
  writeFileSync(path.join(root, 'notes', 'stale.md'), seed.replace('- [Tasks](#tasks)', '- [Taks](#taks)'));
  return root;
}

describe('toc CLI', () => {
  it('--check exits 1 on a stale TOC, prints the diagnostics and the diff, and writes nothing', () => {
    const root = kbWithStaleNote();
    const before = readFileSync(path.join(root, 'notes', 'stale.md'), 'utf8');
    const result = run(['--check', '--no-index'], root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('notes/stale.md:10:7: TOC entry "Taks" points to #taks; the heading at line 79 is "Tasks" (#tasks) [toc-entry-wrong]');
    expect(result.out).toContain('--- notes/stale.md (current)\n+++ notes/stale.md (expected)\n@@ -8,5 +8,5 @@');
    expect(result.out).toContain('toc: 2 notes: 1 current, 1 stale, 0 without TOC, 0 with errors');
    expect(readFileSync(path.join(root, 'notes', 'stale.md'), 'utf8')).toBe(before);
  });

  it('rewrites stale TOCs and the index, keeps the file mode, and a second run changes nothing', () => {
    const root = kbWithStaleNote();
    const stale = path.join(root, 'notes', 'stale.md');
    chmodSync(stale, 0o640);
    const first = run([], root);
    expect(first.code).toBe(0);
    expect(first.out).toContain('updated notes/stale.md');
    expect(first.out).toContain('created notes/README.md');
    expect(readFileSync(stale, 'utf8')).toBe(readFileSync(path.join(root, 'notes', 'seed.md'), 'utf8'));
    expect(statSync(stale).mode & 0o777).toBe(0o640);
    expect(readdirSync(path.join(root, 'notes')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const second = run([], root);
    expect(second.out).not.toMatch(/^(updated|created) /m);
    expect(second.out).toContain('0 updated, 2 unchanged');
    expect(run(['--check'], root).code).toBe(0);
  });

  it('--check exits 1 when only the index is stale', () => {
    const root = kbWithStaleNote();
    run(['notes/stale.md'], root);
    const result = run(['--check'], root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('toc: 2 notes: 2 current, 0 stale, 0 without TOC, 0 with errors; index stale');
  });

  it('takes files and folders as paths', () => {
    const root = kbWithStaleNote();
    expect(run(['--check', 'notes/seed.md'], root).code).toBe(0);
    expect(run(['--check', 'notes'], root).code).toBe(1);
  });

  it('exits 2 with the usage on an unknown flag, and on a path that does not exist', () => {
    const root = kbWithStaleNote();
    const flag = run(['--chek'], root);
    expect(flag.code).toBe(2);
    expect(flag.err).toContain('toc: unknown option --chek');
    expect(flag.err).toContain('Usage: npm run toc');
    const missing = run(['notes/nope.md'], root);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('toc: notes/nope.md: no such file or directory');
  });

  it('as a process: a start marker without end is a positioned error, exit 1, file bytes unchanged', () => {
    const root = tempDir();
    cpSync(path.join(FIXTURES, 'cases', 'seed', 'input.md'), path.join(root, 'broken.md'));
    const broken = path.join(root, 'broken.md');
    const bytes = Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(readFileSync(broken, 'utf8').replace('## Variable scopes', '<!-- toc -->\r\n\r\n## Variable scopes'))]);
    writeFileSync(broken, bytes);
    const tsx = path.join(REPO, 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, [path.join(REPO, 'scripts', 'toc.ts'), 'broken.md'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('broken.md:19:1: <!-- toc --> has no <!-- tocstop --> after it; add <!-- tocstop --> on a line of its own where the generated part ends [toc-marker-unclosed]');
    expect(readFileSync(broken)).toEqual(bytes);
  });
});
