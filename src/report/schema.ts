/**
 * The report's JSON (`.kb/report/report.json`): the source of truth for its
 * schema. Bump `schemaVersion` on any change a consumer could notice
 * (renamed or removed fields, new status values); adding fields does not.
 */

import type { MutationSummary } from '../mutate/result.ts';

export const SCHEMA_VERSION = 2 as const;

/**
 * What a claim's evidence says (`ClaimVerdict['status']`), or `not-run` when its case never ran.
 * `weak` (schema 2): the evidence passed but asserts nothing (rule `claim-weak-evidence`).
 */
export type ClaimStatus = 'verified' | 'weak' | 'cited' | 'failing' | 'no-evidence' | 'not-run';

/** `not-run`: no runner for the language, or the case never ran (the note failed to load). */
export type ExampleStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

/** The vitest outcome of one case; `not-run` when vitest never reported it. */
export type TestStatus = 'passed' | 'failed' | 'skipped' | 'not-run';

export interface Evidence {
  kind: 'example' | 'check' | 'cite';
  /** Note line: the example's fence, the check's first code line, or the claim annotation for a cite. */
  line: number;
  status: 'passed' | 'failed' | 'skipped' | 'cited';
  /** Failure output or skip reason. */
  message?: string;
  /** The cited URL (kind `cite`). */
  url?: string;
  /** Why this evidence asserts nothing (no `output`, `raises=` or `assert`; or it only reads source text). */
  weak?: string;
}

export interface ClaimReport {
  id: string;
  text: string;
  /** Line of the claim annotation. */
  line: number;
  status: ClaimStatus;
  /** Outcome of the claim's test: `failed` for failing and no-evidence claims, and for cited ones under --strict. */
  test: TestStatus;
  evidence: Evidence[];
  /** The test's failure message, when it failed. */
  message?: string;
}

export interface ExampleReport {
  /** `example-<line>`. */
  id: string;
  /** The test name (heading path and `name=` or `example at line N`). */
  name: string;
  /** Line of the opening fence. */
  line: number;
  lang: string;
  status: ExampleStatus;
  /** Failure output, skip reason, or why it was not run. */
  message?: string;
  /** Hidden setup that runs before the example (`<!-- setup -->` of its sections), in order. */
  setup?: CodeBlock[];
  /** Hidden teardown that runs after it. */
  teardown?: CodeBlock[];
  /** Its `requires=` conditions, as written. */
  requires?: string[];
  /** Its `session=` name: it shares an interpreter with the earlier blocks of that session. */
  session?: string;
  /** The author's `skip` reason (`true` when none was given). */
  skip?: string | true;
}

export interface CodeBlock {
  /** Note line of the code's first line (in `file` when set). */
  line: number;
  code: string;
  /** Repository-relative path when the code comes from a file (a folder's `kb.setup.py`). */
  file?: string;
}

/** One positioned problem behind a failed case (a broken link, a stale TOC entry), in this note. */
export interface Problem {
  line: number;
  column: number;
  reason: string;
  ruleId: string;
}

export interface OtherCaseReport {
  /** `structural`: table of contents and link checks; `problem`: an authoring error in the note; `script`: a linked example script. */
  kind: 'structural' | 'problem' | 'script';
  name: string;
  line: number;
  status: TestStatus;
  message?: string;
  /** Each problem behind a failure (every broken link, every wrong TOC entry), when known. */
  problems?: Problem[];
}

export interface UnbackedSection {
  title: string;
  /** Heading depth (2 for `##`). */
  depth: number;
  line: number;
  headingPath: string[];
}

export interface ClaimCounts {
  total: number;
  verified: number;
  /** Passed, but only on evidence that asserts nothing. */
  weak: number;
  cited: number;
  failing: number;
  noEvidence: number;
  notRun: number;
}

export interface ExampleCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
}

export interface TestCounts {
  total: number;
  passed: number;
  failed: number;
  skipped: number;
  notRun: number;
}

export interface Counts {
  claims: ClaimCounts;
  examples: ExampleCounts;
  /** Every vitest case of the note(s): claims, examples, structural checks, problems, scripts. */
  tests: TestCounts;
  /** The cases that are neither claims nor examples: links, table of contents, authoring problems, linked scripts. */
  checks: TestCounts;
  /** Everything that failed: failed cases plus errors outside any case. Zero means green. */
  failures: number;
  unbackedSections: number;
}

export interface NoteReport {
  /** Path relative to the knowledge base root, with `/`. */
  path: string;
  title: string;
  claims: ClaimReport[];
  examples: ExampleReport[];
  other: OtherCaseReport[];
  unbackedSections: UnbackedSection[];
  /** Errors outside any case (the note failed to load, a hook threw); any makes the run fail. */
  errors: string[];
  counts: Counts;
  /** True when anything of the note failed (`counts.failures > 0`). */
  failed: boolean;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  /** ISO 8601 time the report was written. */
  generatedAt: string;
  /** `major.minor.patch` of the interpreter the examples ran with; null when none was found. */
  python: string | null;
  /** True when cited-only and weak claims count as failures (--strict or KB_STRICT=1). */
  strict: boolean;
  /** True when any test failed or any error occurred: the run's exit status is then 1. */
  failed: boolean;
  notes: NoteReport[];
  /** Errors outside any note (global setup, unhandled errors). */
  errors: string[];
  totals: Counts;
  /** The saved result of `kb mutate` (`.kb/mutations.json`), when there is one. */
  mutations?: MutationSummary;
}
