/**
 * The trial knowledge base (a note with a broken link, a wrong output and a raising example; a
 * passing note; a note with a typo in an option), as a new user meets it:
 *
 * - every failure counts in the JSON, and the terminal names each at its `file:line`;
 * - no path of this machine anywhere, tracebacks included;
 * - one report from sharded runs: two shards with vitest's blob reporter, `--merge-reports` builds
 *   the report from the blobs, and it equals the report of one unsharded run, note by note.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.ts';
import { childEnv, REPO, runReport, tempDir, TRIAL_KB, type ReportRun } from './run-report.ts';

function shard(index: number, count: number, blobDir: string): Promise<number> {
  const args = ['vitest', 'run', '--root', TRIAL_KB, `--shard=${index}/${count}`, '--reporter=blob', `--outputFile=${path.join(blobDir, `blob-${index}-${count}.json`)}`];
  return new Promise((resolve) => {
    execFile('npx', args, { cwd: REPO, env: childEnv(), timeout: 120_000 }, (error) => resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0));
  });
}

const json = (run: ReportRun) => JSON.parse(readFileSync(path.join(run.out, 'report.json'), 'utf8')) as Report;

describe('the trial knowledge base, one run and two merged shards', () => {
  const blobDir = tempDir();
  let merged: ReportRun;
  let whole: ReportRun;
  let shardCodes: number[];

  beforeAll(async () => {
    const [codes, one] = await Promise.all([Promise.all([shard(1, 2, blobDir), shard(2, 2, blobDir)]), runReport(['--root', TRIAL_KB])]);
    shardCodes = codes;
    whole = one;
    merged = await runReport(['--root', TRIAL_KB, '--merge-reports', blobDir]);
  }, 240_000);

  afterAll(() => {
    for (const dir of [blobDir, merged?.out, whole?.out]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('each shard ran part of the notes and wrote its blob', () => {
    expect(readdirSync(blobDir).sort()).toEqual(['blob-1-2.json', 'blob-2-2.json']);
    // The trial knowledge base has failures, so some shard fails; both ran.
    expect(shardCodes.some((c) => c === 1)).toBe(true);
  });

  it('gives the same totals and the same result for every note as one run', () => {
    const a = json(merged);
    const b = json(whole);
    expect(a.totals).toEqual(b.totals);
    expect(a.totals.failures).toBe(4);
    expect(a.notes.map((n) => n.path)).toEqual(['notes/broken.md', 'notes/fine.md', 'notes/typo.md']);
    expect(a.notes).toEqual(b.notes);
    expect(a.failed).toBe(true);
    expect(merged.code).toBe(1);
    expect(merged.stdout).toContain('✗ notes/broken.md:16:5: links: No file `missing.md` (notes/missing.md) [missing-file]');
  });

  it('counts the broken link, the wrong output, the raising example and the typo everywhere', () => {
    const report = json(whole);
    const note = (p: string) => report.notes.find((n) => n.path === p)!;
    expect(note('notes/broken.md').counts).toMatchObject({ failures: 3, examples: { failed: 2, passed: 1, skipped: 1 }, checks: { failed: 1, passed: 1 } });
    expect(note('notes/broken.md').failed).toBe(true);
    expect(note('notes/typo.md').counts).toMatchObject({ failures: 1, checks: { failed: 1 } });
    expect(note('notes/fine.md').counts.failures).toBe(0);
    expect(note('notes/fine.md').failed).toBe(false);
    expect(report.totals).toMatchObject({ failures: 4, checks: { total: 5, failed: 2 }, tests: { failed: 4 } });
    const links = note('notes/broken.md').other.find((o) => o.name === 'links')!;
    expect(links.problems).toEqual([{ line: 16, column: 5, reason: 'No file `missing.md` (notes/missing.md)', ruleId: 'missing-file' }]);
  });

  it('names each failing item at its file:line in the terminal, with its reason', () => {
    const failures = whole.stdout.split('\n').filter((l) => l.startsWith('  ✗ '));
    expect(failures).toEqual([
      '  ✗ notes/broken.md:16:5: links: No file `missing.md` (notes/missing.md) [missing-file]',
      '  ✗ notes/broken.md:24: python example failed: output differs from the `output` block at line 28; `npm run update` rewrites it',
      '  ✗ notes/broken.md:34: python example failed: ZeroDivisionError: division by zero',
      expect.stringMatching(/^ {2}✗ notes\/typo\.md:3:11: authoring problem: unknown option `timeuot` on a `python` example.*\[unknown-option\]$/),
    ]);
    expect(whole.stdout).toMatch(/Result: FAILED \(4 failures\)\s*$/);
  });

  it('shows no path of this machine, in tracebacks neither', () => {
    const root = path.resolve(REPO);
    for (const file of ['report.json', 'index.html']) {
      expect(readFileSync(path.join(whole.out, file), 'utf8'), file).not.toContain(root);
      expect(readFileSync(path.join(merged.out, file), 'utf8'), file).not.toContain(root);
    }
    const raising = json(whole).notes.find((n) => n.path === 'notes/broken.md')!.examples.find((e) => e.line === 34)!;
    expect(raising.message).toContain('File "notes/broken.md", line 38');
  });

  it('a folder that is not there is a clear error', async () => {
    const run = await runReport(['--root', TRIAL_KB, '--merge-reports', path.join(blobDir, 'nope')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/nope is not a folder of blob reports; write them with `vitest run --shard=i\/n --reporter=blob`/);
    rmSync(run.out, { recursive: true, force: true });
    const empty = tempDir();
    const none = await runReport(['--root', TRIAL_KB, '--merge-reports', empty]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/cannot merge the blob reports in .*: vitest.mergeReports\(\) requires at least one blob file/);
    expect(none.stdout).toBe('');
    for (const dir of [empty, none.out]) rmSync(dir, { recursive: true, force: true });
  });
});
