/** Per-note and total figures of the report. */
import type { ClaimReport, Counts, ExampleReport, OtherCaseReport, TestStatus } from './schema.ts';

export function emptyCounts(): Counts {
  return {
    claims: { total: 0, verified: 0, weak: 0, cited: 0, failing: 0, noEvidence: 0, notRun: 0 },
    examples: { total: 0, passed: 0, failed: 0, skipped: 0, notRun: 0 },
    tests: { total: 0, passed: 0, failed: 0, skipped: 0, notRun: 0 },
    checks: { total: 0, passed: 0, failed: 0, skipped: 0, notRun: 0 },
    failures: 0,
    unbackedSections: 0,
  };
}

const CLAIM_KEY = { verified: 'verified', weak: 'weak', cited: 'cited', failing: 'failing', 'no-evidence': 'noEvidence', 'not-run': 'notRun' } as const;
const TEST_KEY = { passed: 'passed', failed: 'failed', skipped: 'skipped', 'not-run': 'notRun' } as const;

export function countNote(claims: ClaimReport[], examples: ExampleReport[], other: OtherCaseReport[], unbacked: number, errors = 0): Counts {
  const counts = emptyCounts();
  const test = (status: TestStatus) => {
    counts.tests.total++;
    counts.tests[TEST_KEY[status]]++;
  };
  for (const claim of claims) {
    counts.claims.total++;
    counts.claims[CLAIM_KEY[claim.status]]++;
    test(claim.test);
  }
  for (const example of examples) {
    counts.examples.total++;
    counts.examples[TEST_KEY[example.status]]++;
    // An example with no runner is a skipped vitest case; it counts as "not run" in both figures.
    test(example.status);
  }
  for (const o of other) {
    test(o.status);
    counts.checks.total++;
    counts.checks[TEST_KEY[o.status]]++;
  }
  counts.failures = counts.tests.failed + errors;
  counts.unbackedSections = unbacked;
  return counts;
}

export function sumCounts(all: Counts[]): Counts {
  const total = emptyCounts();
  for (const c of all) {
    for (const group of ['claims', 'examples', 'tests', 'checks'] as const) {
      const into = total[group] as unknown as Record<string, number>;
      for (const [key, value] of Object.entries(c[group])) into[key] = (into[key] ?? 0) + value;
    }
    total.unbackedSections += c.unbackedSections;
    total.failures += c.failures;
  }
  return total;
}
