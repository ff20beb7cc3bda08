/**
 * A weak claim end to end: `weak` in report.json and the terminal summary,
 * with its reason; `--strict` fails it with rule `claim-weak-evidence`.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.ts';
import { runReport, type ReportRun } from '../report/run-report.ts';

const KB = 'test/evidence/fixtures/kb';
let normal: ReportRun;
let strict: ReportRun;
const json = (run: ReportRun) => JSON.parse(readFileSync(path.join(run.out, 'report.json'), 'utf8')) as Report;

beforeAll(async () => {
  [normal, strict] = await Promise.all([runReport(['--root', KB]), runReport(['--root', KB, '--strict'])]);
}, 180_000);

afterAll(() => {
  for (const run of [normal, strict]) if (run) rmSync(run.out, { recursive: true, force: true });
});

describe('weak evidence in the report', () => {
  it('reports a claim on evidence that asserts nothing as weak, with the reason, and passes', () => {
    expect(normal.code, normal.stderr).toBe(0);
    const report = json(normal);
    const claims = report.notes.find((n) => n.path === 'notes/evidence.md')!.claims;
    expect(claims.map((c) => [c.id, c.status, c.test])).toEqual([
      ['bound', 'verified', 'passed'],
      ['unbound', 'verified', 'passed'],
      ['runs-only', 'weak', 'passed'],
    ]);
    expect(claims[2]!.evidence[0]).toMatchObject({ kind: 'example', line: 29, status: 'passed', weak: expect.stringMatching(/no `output` block/) });
    expect(report.totals.claims).toMatchObject({ total: 5, verified: 4, weak: 1 });
    expect(normal.stdout).toContain('1 weak');
    expect(normal.stdout).toMatch(/! notes\/evidence\.md:27: claim runs-only is weak: example at line 29: .*\[claim-weak-evidence\]/);
    expect(readFileSync(path.join(normal.out, 'index.html'), 'utf8')).toContain('claim-weak-evidence');
  });

  it('fails a weak claim under --strict', () => {
    expect(strict.code).toBe(1);
    const claim = json(strict).notes.find((n) => n.path === 'notes/evidence.md')!.claims[2]!;
    expect(claim).toMatchObject({ status: 'weak', test: 'failed' });
    expect(claim.message).toContain('[claim-weak-evidence]');
    expect(strict.stdout).toMatch(/✗ notes\/evidence\.md:27: claim runs-only is weak/);
  });
});
