/**
 * `kb mutate`: the mutations of a claim's evidence (pure), and the command on
 * a fixture where one claim's evidence is bound (every mutation fails it) and
 * another's is not (a mutation still passes).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { alterLine, assertLiteralChanges, claimMutations, lineChanges } from '../../src/mutate/mutations.ts';
import type { MutationResult } from '../../src/mutate/result.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ClaimPlan, ExamplePlan } from '../../src/plan/types.ts';
import type { Report } from '../../src/report/schema.ts';
import { childEnv, REPO, runReport } from '../report/run-report.ts';

const KB = 'test/evidence/fixtures/kb';

/**
 * A temporary copy of a fixture knowledge base, removed after the test: `kb mutate` saves its
 * result in the root's `.kb/`, so each test starts from its own clean copy and none depends on
 * what another left behind (each runs alone with `-t`).
 */
const copies: string[] = [];
function copyOf(fixture: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'kb-mutate-test-'));
  cpSync(path.join(REPO, fixture), root, { recursive: true, filter: (source) => path.basename(source) !== '.kb' });
  copies.push(root);
  return root;
}
afterEach(() => {
  for (const root of copies.splice(0)) rmSync(root, { recursive: true, force: true });
});

function kb(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/bin.ts', ...args], { cwd: REPO, env: childEnv(), timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('mutations of expected values', () => {
  it.each([
    ['4', '"4" → "5"', '5'],
    ['x is 9', '"x is 9" → "x is 0"', 'x is 0'],
    ['True', '"True" → "False"', 'False'],
    ['[false, 1]', '"[false, 1]" → "[true, 1]"', '[true, 1]'],
    ['hello', '"hello" → "hello MUTATED"', 'hello MUTATED'],
  ])('alters %j', (line, what, text) => {
    expect(alterLine(line)).toEqual({ what, text });
  });

  it('leaves `...` and blank lines of an output alone', () => {
    expect(lineChanges(['...', '', '7']).map((c) => c.lines)).toEqual([['...', '', '8']]);
  });

  it.each([
    ['assert f(3) == 4', ['assert f(3) == 5']],
    ['assert len(xs) >= 0, "message 1"', ['assert len(xs) >= 1, "message 1"']],
    ['assert x is None', ['assert x is 0']],
    ["assert 'a' in s", ["assert 'a' in s"].map(() => "assert 'a~' in s")],
    ['assert ok() == True  # 5', ['assert ok() == False  # 5']],
    ['assert p not in [1, "x"]', ['assert p not in [2, "x"]', 'assert p not in [1, "x~"]']],
    ['x = 1', []],
    // A bound nudged by one still holds; tightened, it shows whether the check binds at all.
    ['assert elapsed < 1.2', ['assert elapsed < 0']],
    ['assert count >= 10_000', ['assert count >= 100001']],
  ])('changes the checked literal of %j', (code, expected) => {
    expect(assertLiteralChanges(code).map((c) => c.code)).toEqual(expected);
  });

  it('takes at most the limit, in turn from each piece of evidence', () => {
    const F = '```';
    const text = `# T\n\nIt holds. <!-- claim c -->\n\n${F}python claim=c\nprint(1)\nprint(2)\nprint(3)\n${F}\n\n${F}output\n1\n2\n3\n${F}\n\n<!-- check c\nassert 1 == 1\nassert 2 == 2\n-->\n`;
    const plan = extractPlan(noteFromText('/r/notes/x.md', text, { root: '/r' }), { root: '/r' });
    expect(plan.diagnostics).toEqual([]);
    const claim = plan.items.find((i): i is ClaimPlan => i.kind === 'claim')!;
    const mutations = claimMutations(plan, claim, 3);
    expect(mutations.map((m) => m.what)).toEqual([
      'output line 12: "1" → "2"',
      expect.stringMatching(/^hidden check line 18: 1 → 2/),
      'output line 13: "2" → "3"',
    ]);
    // The original plan is untouched; each mutation has its own copy.
    const ex = plan.items.find((i): i is ExamplePlan => i.kind === 'example')!;
    expect(ex.outputs[0]!.text).toBe('1\n2\n3');
    expect((mutations[0]!.plan.items.find((i) => i.kind === 'example') as ExamplePlan).outputs[0]!.text).toBe('2\n2\n3');
  });
});

it('mutates only the output alternatives that apply to the running interpreter', () => {
  const F = '```';
  const text = `# T\n\nIt holds. <!-- claim c -->\n\n${F}python claim=c\nprint(1)\n${F}\n\n${F}output requires=python>=3.99\n7\n${F}\n\n${F}output\n1\n${F}\n`;
  const plan = extractPlan(noteFromText('/r/notes/x.md', text, { root: '/r' }), { root: '/r' });
  expect(plan.diagnostics).toEqual([]);
  const claim = plan.items.find((i): i is ClaimPlan => i.kind === 'claim')!;
  const applies = (requires: readonly string[]) => !requires.includes('python>=3.99');
  expect(claimMutations(plan, claim, 8, applies).map((m) => m.what)).toEqual(['output line 14: "1" → "2"']);
  expect(claimMutations(plan, claim, 8).map((m) => m.what)).toHaveLength(2);
});

it('mutates only the pieces of evidence that ran unmutated', () => {
  const F = '```';
  const text = `# T\n\nIt holds. <!-- claim c -->\n\n${F}python claim=c\nprint(1)\n${F}\n\n${F}output\n1\n${F}\n\n<!-- check c\nassert 2 == 2\n-->\n`;
  const plan = extractPlan(noteFromText('/r/notes/x.md', text, { root: '/r' }), { root: '/r' });
  expect(plan.diagnostics).toEqual([]);
  const claim = plan.items.find((i): i is ClaimPlan => i.kind === 'claim')!;
  const only = (example: boolean, check: boolean) => claimMutations(plan, claim, 8, undefined, { example: () => example, check: () => check }).map((m) => m.what);
  expect(only(true, true)).toHaveLength(2);
  expect(only(false, true)).toEqual([expect.stringMatching(/^hidden check line 14: 2 → 3/)]);
  expect(only(true, false)).toEqual(['output line 10: "1" → "2"']);
  expect(only(false, false)).toEqual([]);
});

describe('kb mutate', () => {
  it('lists the mutations that still pass, exits 1, and saves the result', async () => {
    const root = copyOf(KB);
    const run = await kb(['mutate', '--root', root]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('notes/evidence.md:22: claim unbound: mutation hidden check line 22: 0 → 1 in "assert len(sorted([3, 1, 2])) >= 0" still passes');
    expect(run.stdout).not.toContain('claim bound:');
    expect(run.stderr).toContain('bound: 2/2 mutations caught');
    const saved = JSON.parse(readFileSync(path.join(root, '.kb/mutations.json'), 'utf8')) as MutationResult;
    const claims = saved.notes.find((n) => n.path === 'notes/evidence.md')!.claims;
    expect(claims.map((c) => [c.id, c.mutations.map((m) => m.survived)])).toEqual([
      ['bound', [false, false]],
      ['unbound', [true]],
      ['runs-only', []],
    ]);
  }, 120_000);

  it('puts the saved result in the report: JSON and HTML', async () => {
    const root = copyOf(KB);
    const mutated = await kb(['mutate', '--root', root, '--quiet']);
    expect(mutated.code, mutated.stderr).toBe(1); // the survivor the report must show
    const report = await runReport(['--root', root]);
    try {
      const json = JSON.parse(readFileSync(path.join(report.out, 'report.json'), 'utf8')) as Report;
      expect(json.mutations).toMatchObject({ total: 5, caught: 4, stale: [] });
      expect(json.mutations!.survivors).toEqual([{ path: 'notes/evidence.md', claim: 'unbound', line: 22, what: expect.stringContaining('0 → 1'), stale: false }]);
      const html = readFileSync(path.join(report.out, 'index.html'), 'utf8');
      expect(html).toContain('id="mutations"');
      expect(html).toContain('claim unbound: mutation hidden check line 22: 0 → 1');
    } finally {
      rmSync(report.out, { recursive: true, force: true });
    }
  }, 120_000);

  it('exits 0 when every mutation is caught (--json)', async () => {
    const root = copyOf(KB);
    const run = await kb(['mutate', '--root', root, '--json', path.join(root, 'notes/bound-only.md')]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as MutationResult;
    expect(result.notes[0]!.claims[0]!.mutations.length).toBeGreaterThan(0);
    expect(result.notes[0]!.claims[0]!.mutations.every((m) => !m.survived)).toBe(true);
  }, 120_000);

  it('mutates only the evidence that runs here: an example skipped by requires= can never fail', async () => {
    const root = copyOf('test/evidence/fixtures/versions');
    const run = await kb(['mutate', '--root', root, '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const claim = (JSON.parse(run.stdout) as MutationResult).notes[0]!.claims[0]!;
    expect(claim.mutations).toEqual([{ what: 'output line 28: "before 3.99" → "before 4.99"', line: 28, survived: false }]);
  }, 120_000);

  it.each([
    [['mutate', '--limt', '3'], /unknown option --limt \(did you mean --limit\?\)/],
    [['mutate', '--limit', '0'], /--limit needs a whole number/],
    [['mutate', '--root', KB, 'notes/nowhere.md'], /no such file or folder: notes\/nowhere\.md/], // exits before writing anything
  ])('bad usage %j exits 2', async (args, message) => {
    const run = await kb(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  }, 60_000);
});
