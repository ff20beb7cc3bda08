/**
 * The report of the fixture knowledge base (test/report/fixtures/kb): one
 * claim of each status, an unbacked section, a note full of hostile markup.
 * JSON and terminal figures here; the page in a browser in browser.test.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/schema.ts';
import { FIXTURE_KB, runReport, type ReportRun } from './run-report.ts';

let normal: ReportRun;
let strict: ReportRun;
const json = (run: ReportRun) => JSON.parse(readFileSync(path.join(run.out, 'report.json'), 'utf8')) as Report;

beforeAll(async () => {
  [normal, strict] = await Promise.all([runReport(['--root', FIXTURE_KB]), runReport(['--root', FIXTURE_KB, '--strict'])]);
}, 180_000);

afterAll(() => {
  for (const run of [normal, strict]) if (run) rmSync(run.out, { recursive: true, force: true });
});

describe('report.json of the fixture', () => {
  it('gives each claim its status: verified, cited, failing, no evidence', () => {
    const report = json(normal);
    expect(report.schemaVersion).toBe(2);
    expect(report.strict).toBe(false);
    expect(report.python).toMatch(/^3\.\d+\.\d+$/);
    expect(Number.isNaN(Date.parse(report.generatedAt))).toBe(false);
    const claims = report.notes.find((n) => n.path === 'notes/claims.md')!.claims;
    expect(claims.map((c) => [c.id, c.status, c.test])).toEqual([
      ['two-plus-two', 'verified', 'passed'],
      ['sorted-stable', 'cited', 'passed'],
      ['floor-toward-zero', 'failing', 'failed'],
      ['moon-cheese', 'no-evidence', 'failed'],
    ]);
    expect(new Set(report.notes.flatMap((n) => n.claims.map((c) => c.status)))).toEqual(new Set(['verified', 'cited', 'failing', 'no-evidence']));
  });

  it('keeps the evidence of each claim, with the failure output', () => {
    const claims = json(normal).notes.find((n) => n.path === 'notes/claims.md')!.claims;
    expect(claims[0]!.evidence).toEqual([{ kind: 'example', line: 19, status: 'passed' }]);
    expect(claims[1]!.evidence).toEqual([{ kind: 'cite', line: 29, status: 'cited', url: 'https://docs.python.org/3/library/functions.html#sorted' }]);
    expect(claims[2]!.evidence).toHaveLength(1);
    expect(claims[2]!.evidence[0]).toMatchObject({ kind: 'check', line: 36, status: 'failed' });
    expect(claims[2]!.evidence[0]!.message).toContain('-7 // 2 is -4, not -3');
    expect(claims[3]!.evidence).toEqual([]);
    expect(claims[3]!.message).toContain('[claim-without-evidence]');
  });

  it('lists examples with their status, and the unbacked sections', () => {
    const note = json(normal).notes.find((n) => n.path === 'notes/claims.md')!;
    expect(note.examples.map((e) => [e.id, e.lang, e.status])).toEqual([
      ['example-19', 'python', 'passed'],
      ['example-49', 'rust', 'not-run'],
      ['example-53', 'python', 'skipped'],
    ]);
    // Not the title, not "Contents", not the sections holding a claim or an example.
    expect(note.unbackedSections).toEqual([{ title: 'Background', depth: 2, line: 43, headingPath: ['Background'] }]);
  });

  it('counts per note and in total, and fails the run', () => {
    const report = json(normal);
    expect(report.failed).toBe(true);
    expect(report.totals.claims).toEqual({ total: 5, verified: 1, weak: 0, cited: 2, failing: 1, noEvidence: 1, notRun: 0 });
    expect(report.totals.examples).toEqual({ total: 3, passed: 1, failed: 0, skipped: 1, notRun: 1 });
    expect(report.totals.unbackedSections).toBe(1);
    expect(report.totals.tests).toMatchObject({ failed: 2 });
    expect(normal.code).toBe(1);
  });

  it('under --strict, cited-only claims fail too', () => {
    const report = json(strict);
    expect(report.strict).toBe(true);
    const cited = report.notes.flatMap((n) => n.claims).filter((c) => c.status === 'cited');
    expect(cited).toHaveLength(2);
    for (const claim of cited) {
      expect(claim.test).toBe('failed');
      expect(claim.message).toContain('[claim-only-cited]');
    }
    expect(report.totals.tests.failed).toBe(4);
    expect(strict.code).toBe(1);
  });
});

describe('terminal summary of the fixture', () => {
  it('prints each note\'s figures, its unbacked sections and the totals', () => {
    const out = normal.stdout;
    expect(out).toContain('notes/claims.md — Claims of the fixture');
    expect(out).toContain('claims    1 verified · 1 cited · 1 failing · 1 without evidence');
    expect(out).toContain('examples  1 passed · 0 failed · 1 skipped · 1 not run');
    expect(out).toContain('unbacked  Background (line 43)');
    expect(out).toContain('✗ notes/claims.md:35: claim floor-toward-zero is failing: hidden check at line 36: AssertionError: -7 // 2 is -4, not -3');
    expect(out).toContain('✗ notes/claims.md:41: claim moon-cheese has no evidence');
    const totals = out.slice(out.indexOf('Totals'));
    expect(totals).toContain('claims    1 verified · 2 cited · 1 failing · 1 without evidence');
    expect(totals).toContain('unbacked  1 section');
    expect(totals).toContain('tests     7 passed · 2 failed · 1 skipped · 1 not run');
    expect(out).toMatch(/Result: FAILED \(2 failures\)\s*$/);
  });

  it('names the strict mode and the cited claims it fails', () => {
    expect(strict.stdout).toMatch(/\(Python 3\.\d+\.\d+, strict\)/);
    expect(strict.stdout).toContain('✗ notes/claims.md:29: claim sorted-stable is cited');
  });
});
