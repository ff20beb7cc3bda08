/**
 * One report from sharded runs: the trial knowledge base runs in two shards with vitest's blob
 * reporter, `--merge-reports` builds the report from the blobs, and it must equal the report of one
 * unsharded run, note by note (the time of the run aside).
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

describe('--merge-reports', () => {
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

  it('a folder that is not there is a clear error', async () => {
    const run = await runReport(['--root', TRIAL_KB, '--merge-reports', path.join(blobDir, 'nope')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nope is not a folder of blob reports; write them with `vitest run --shard=i\/n --reporter=blob`/);
    rmSync(run.out, { recursive: true, force: true });
  });
});
