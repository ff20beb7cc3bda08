/** `kb toc`: in process on temp copies, and once as a real process. */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTocCli } from '../../src/toc/cli.ts';
import { cases, FIXTURES, REPO, tempDir } from './helpers.ts';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runTocCli(args, { cwd, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t) });
  return { code, out: out.trimEnd(), err: err.trimEnd() };
}

/** A knowledge base with a notes index (opt-in) and two notes, one with a stale TOC. */
function kbWithStaleNote(): string {
  const root = tempDir();
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ kb: { index: true } }));
  mkdirSync(path.join(root, 'notes'));
  const seed = cases().find((c) => c.name === 'seed')?.input ?? '';
  writeFileSync(path.join(root, 'notes', 'seed.md'), seed);
  writeFileSync(path.join(root, 'notes', 'stale.md'), seed.replace('- [Tasks](#tasks)', '- [Taks](#taks)'));
  return root;
}

describe('toc CLI', () => {
  it('--check exits 1 on a stale TOC, prints the diagnostics and the diff, and writes nothing', async () => {
    const root = kbWithStaleNote();
    const before = readFileSync(path.join(root, 'notes', 'stale.md'), 'utf8');
    const result = await run(['--check', '--no-index'], root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('notes/stale.md:10:7: TOC entry "Taks" points to #taks; the heading at line 79 is "Tasks" (#tasks) [toc-entry-wrong]');
    expect(result.out).toContain('--- notes/stale.md (current)\n+++ notes/stale.md (expected)\n@@ -8,5 +8,5 @@');
    expect(result.out).toContain('toc: 2 notes: 1 current, 1 stale, 0 without TOC, 0 with errors');
    expect(readFileSync(path.join(root, 'notes', 'stale.md'), 'utf8')).toBe(before);
  });

  it('rewrites stale TOCs and the index, keeps the file mode, and a second run changes nothing', async () => {
    const root = kbWithStaleNote();
    const stale = path.join(root, 'notes', 'stale.md');
    chmodSync(stale, 0o640);
    const first = await run([], root);
    expect(first.code).toBe(0);
    expect(first.out).toContain('updated notes/stale.md');
    expect(first.out).toContain('created notes/README.md');
    expect(readFileSync(stale, 'utf8')).toBe(readFileSync(path.join(root, 'notes', 'seed.md'), 'utf8'));
    expect(statSync(stale).mode & 0o777).toBe(0o640);
    expect(readdirSync(path.join(root, 'notes')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const second = await run([], root);
    expect(second.out).not.toMatch(/^(updated|created) /m);
    expect(second.out).toContain('0 updated, 2 unchanged');
    expect((await run(['--check'], root)).code).toBe(0);
  });

  it('--check exits 1 when only the index is stale', async () => {
    const root = kbWithStaleNote();
    await run(['notes/stale.md'], root);
    const result = await run(['--check'], root);
    expect(result.code).toBe(1);
    expect(result.out).toContain('toc: 2 notes: 2 current, 0 stale, 0 without TOC, 0 with errors; index stale');
  });

  it('takes files and folders as paths', async () => {
    const root = kbWithStaleNote();
    expect((await run(['--check', 'notes/seed.md'], root)).code).toBe(0);
    expect((await run(['--check', 'notes'], root)).code).toBe(1);
  });

  it('on a folder of others\' docs: warns about curated lists without failing, fills doctoc markers, and a second run changes nothing', async () => {
    const root = tempDir();
    mkdirSync(path.join(root, 'docs'));
    expect((await run(['--check', 'docs'], root)).err).toContain('toc: docs: no note there (notes are notes/**/*.md, README.md)');
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ kb: { notes: ['docs/**/*.md'] } }));
    const curated = '# Guide\n\n## Contents\n\n- [Install](install.md)\n- [Setup](#setup)\n\n## Setup\n';
    const doctoc = '# Tool\r\n\r\n<!-- START doctoc -->\r\n<!-- END doctoc -->\r\n\r\n## Usage\r\n';
    writeFileSync(path.join(root, 'docs', 'curated.md'), curated);
    writeFileSync(path.join(root, 'docs', 'doctoc.md'), doctoc);
    const check = await run(['--check', 'docs'], root);
    expect(check.out).toContain('docs/curated.md:5:3: the list under "Contents" (line 3) is the author\'s, not a TOC: its entry "Install" links to install.md');
    expect(check.out).toContain('[toc-list-not-generated]');
    expect(check.out).toContain('toc: 2 notes: 0 current, 1 stale, 1 without TOC, 0 with errors, 1 warning');
    expect(check.code).toBe(1);
    const write = await run(['docs'], root);
    expect(write.code).toBe(0);
    expect(readFileSync(path.join(root, 'docs', 'curated.md'), 'utf8')).toBe(curated);
    expect(readFileSync(path.join(root, 'docs', 'doctoc.md'), 'utf8')).toBe('# Tool\r\n\r\n<!-- START doctoc -->\r\n\r\n- [Usage](#usage)\r\n\r\n<!-- END doctoc -->\r\n\r\n## Usage\r\n');
    const again = await run(['--check', 'docs'], root);
    expect(again.code).toBe(0);
    expect(again.out).toContain('1 current, 0 stale, 1 without TOC, 0 with errors, 1 warning');
  });

  it('exits 2 with one line on an unknown flag, and on a path that does not exist', async () => {
    const root = kbWithStaleNote();
    const flag = await run(['--chek'], root);
    expect(flag.code).toBe(2);
    expect(flag.err).toBe('toc: unknown option --chek (did you mean --check?); `kb toc --help` lists the options');
    const missing = await run(['notes/nope.md'], root);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('toc: no such file or folder: notes/nope.md; `kb toc --help` lists the options');
  });

  it('as a process: two start markers without end are a positioned error, exit 1, file bytes unchanged', async () => {
    const root = tempDir();
    cpSync(path.join(FIXTURES, 'cases', 'seed', 'input.md'), path.join(root, 'broken.md'));
    const broken = path.join(root, 'broken.md');
    const bytes = Buffer.concat([Buffer.from('\uFEFF'), Buffer.from(readFileSync(broken, 'utf8').replace('## Variable scopes', '<!-- toc -->\r\n\r\n<!-- toc -->\r\n\r\n## Variable scopes'))]);
    writeFileSync(broken, bytes);
    const tsx = path.join(REPO, 'node_modules', '.bin', 'tsx');
    const result = spawnSync(tsx, [path.join(REPO, 'src', 'cli', 'bin.ts'), 'toc', 'broken.md'], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('broken.md:21:1: second <!-- toc --> before <!-- tocstop --> closes the one at line 19 [toc-marker-unclosed]');
    expect(readFileSync(broken)).toEqual(bytes);
  });
});
