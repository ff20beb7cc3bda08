/**
 * Collected vitest cases + each note's plan → the report's data (schema.ts).
 *
 * The plan is extracted again here, in the main process, from the same text
 * the plugin compiled: it lists every claim, example and section even when a
 * case never ran, and a case is matched to its plan item by name and line,
 * which the runtime derives from the same plan.
 */
import path from 'node:path';
import type { ClaimPlan, ExamplePlan, NotePlan } from '../plan/types.ts';
import { caseName } from '../vitest/names.ts';
import type { CollectedCase, CollectedModule } from './collect.ts';
import { countNote, sumCounts } from './counts.ts';
import { SCHEMA_VERSION, type ClaimReport, type ExampleReport, type NoteReport, type OtherCaseReport, type Report, type TestStatus } from './schema.ts';
import { unbackedSections } from './sections.ts';

export interface BuildInput {
  /** Every note found, with its plan (absolute path → plan). */
  plans: Map<string, NotePlan>;
  modules: CollectedModule[];
  runErrors: string[];
  python: string | null;
  strict: boolean;
  generatedAt: Date;
}

export function buildReport(input: BuildInput): Report {
  const byFile = new Map(input.modules.map((m) => [path.resolve(m.file), m]));
  const notes = [...input.plans.entries()]
    .map(([file, plan]) => buildNote(plan, byFile.get(path.resolve(file))))
    .sort((a, b) => a.path.localeCompare(b.path));
  const totals = sumCounts(notes.map((n) => n.counts));
  const failed = totals.tests.failed > 0 || input.runErrors.length > 0 || notes.some((n) => n.errors.length > 0);
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt.toISOString(),
    python: input.python,
    strict: input.strict,
    failed,
    notes,
    errors: input.runErrors,
    totals,
  };
}

export function buildNote(plan: NotePlan, module: CollectedModule | undefined): NoteReport {
  const cases = new CaseIndex(module?.cases ?? []);
  const claims: ClaimReport[] = [];
  const examples: ExampleReport[] = [];
  const other: OtherCaseReport[] = [];
  for (const item of plan.items) {
    const found = cases.take(caseName(item), item.line);
    if (item.kind === 'claim') claims.push(claimReport(item, found));
    else if (item.kind === 'example') examples.push(exampleReport(item, found));
    else other.push({ kind: item.kind, name: caseName(item), line: item.line, status: testStatus(found), ...messageField(found) });
  }
  // What is left are the structural cases (table of contents, links), which the plan does not list.
  for (const rest of cases.rest()) {
    other.push({ kind: 'structural', name: rest.name, line: rest.line ?? rest.meta?.line ?? 1, status: testStatus(rest), ...messageField(rest) });
  }
  const unbacked = unbackedSections(plan);
  const errors = module?.errors ?? [];
  return {
    path: plan.path,
    title: plan.title,
    claims,
    examples,
    other,
    unbackedSections: unbacked,
    errors,
    counts: countNote(claims, examples, other, unbacked.length),
  };
}

function claimReport(item: ClaimPlan, found: CollectedCase | undefined): ClaimReport {
  const verdict = found?.meta?.claim;
  const test = testStatus(found);
  return {
    id: item.id,
    text: item.text,
    line: item.line,
    // No verdict: the case never got to run (the note failed to load or the run was filtered).
    status: verdict?.status ?? 'not-run',
    test,
    evidence: (verdict?.evidence ?? []).map((e) => ({
      kind: e.kind,
      line: e.line,
      status: e.status,
      ...(e.message !== undefined ? { message: e.message } : {}),
      ...(e.url !== undefined ? { url: e.url } : {}),
    })),
    ...(test === 'failed' ? messageField(found) : {}),
  };
}

function exampleReport(item: ExamplePlan, found: CollectedCase | undefined): ExampleReport {
  const name = caseName(item);
  const base = { id: item.id, name, line: item.line, lang: item.lang };
  // Without meta the body never ran (note failed to load, or a hook failed before it).
  if (!found?.meta || found.state === 'pending') return { ...base, status: 'not-run', ...messageField(found) };
  if (found.state === 'skipped') {
    const noRunner = item.runner === null && !item.include;
    return { ...base, status: noRunner ? 'not-run' : 'skipped', ...messageField(found) };
  }
  return { ...base, status: found.state, ...messageField(found) };
}

function testStatus(found: CollectedCase | undefined): TestStatus {
  if (!found || found.state === 'pending') return 'not-run';
  return found.state;
}

/** The most useful text about a case: its error, its skip reason, or the runtime's message. */
function messageField(found: CollectedCase | undefined): { message?: string } {
  if (!found) return {};
  const message = found.errors.length > 0 ? found.errors.join('\n\n') : found.skipNote ?? found.meta?.message;
  return message ? { message } : {};
}

/** Cases keyed by name and line; `take` removes, so duplicate names match in order. */
class CaseIndex {
  private readonly pending: CollectedCase[];

  constructor(cases: CollectedCase[]) {
    this.pending = [...cases];
  }

  take(name: string, line: number): CollectedCase | undefined {
    const index = this.pending.findIndex((c) => c.name === name && (c.line === undefined || c.line === line));
    return index === -1 ? undefined : this.pending.splice(index, 1)[0];
  }

  rest(): CollectedCase[] {
    return this.pending;
  }
}
