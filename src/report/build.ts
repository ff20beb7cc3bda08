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
import { rootRelativizer, type Relativize } from './paths.ts';
import { SCHEMA_VERSION, type ClaimReport, type ExampleReport, type NoteReport, type OtherCaseReport, type Problem, type Report, type TestStatus } from './schema.ts';
import { unbackedSections } from './sections.ts';

export interface BuildInput {
  /** The project root: messages name files relative to it. */
  root: string;
  /** Every note found, with its plan (absolute path → plan). */
  plans: Map<string, NotePlan>;
  modules: CollectedModule[];
  runErrors: string[];
  python: string | null;
  strict: boolean;
  generatedAt: Date;
}

export function buildReport(input: BuildInput): Report {
  const relativize = rootRelativizer(input.root);
  const byFile = new Map(input.modules.map((m) => [path.resolve(m.file), m]));
  const notes = [...input.plans.entries()]
    .map(([file, plan]) => buildNote(plan, byFile.get(path.resolve(file)) ?? movedModule(input.modules, plan.path), relativize))
    .sort((a, b) => a.path.localeCompare(b.path));
  const runErrors = input.runErrors.map(relativize);
  const totals = sumCounts(notes.map((n) => n.counts));
  totals.failures += runErrors.length;
  const failed = totals.failures > 0;
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: input.generatedAt.toISOString(),
    python: input.python,
    strict: input.strict,
    failed,
    notes,
    errors: runErrors,
    totals,
  };
}

/**
 * A merged blob report written where the project sat elsewhere (another CI runner's checkout):
 * the note is the module whose path ends with the note's path from the root.
 */
function movedModule(modules: CollectedModule[], notePath: string): CollectedModule | undefined {
  const tail = `/${notePath}`;
  const found = modules.filter((m) => m.file.split(path.sep).join('/').endsWith(tail));
  return found.length === 1 ? found[0] : undefined;
}

export function buildNote(plan: NotePlan, module: CollectedModule | undefined, relativize: Relativize = (t) => t): NoteReport {
  const cases = new CaseIndex(module?.cases ?? []);
  const claims: ClaimReport[] = [];
  const examples: ExampleReport[] = [];
  const other: OtherCaseReport[] = [];
  for (const item of plan.items) {
    const found = cases.take(caseName(item), item.line);
    if (item.kind === 'claim') claims.push(claimReport(item, found, relativize));
    else if (item.kind === 'example') examples.push(exampleReport(item, found, relativize));
    else if (item.kind === 'problem') {
      const d = item.diagnostic;
      const problems: Problem[] = [{ line: d.line, column: d.column, reason: relativize(d.reason), ruleId: d.ruleId }];
      other.push({ kind: 'problem', name: caseName(item), line: item.line, status: testStatus(found), ...messageField(found, relativize), problems });
    } else other.push({ kind: item.kind, name: caseName(item), line: item.line, status: testStatus(found), ...messageField(found, relativize) });
  }
  // What is left are the structural cases (table of contents, links), which the plan does not list.
  for (const rest of cases.rest()) {
    const problems = rest.state === 'failed' ? rest.meta?.problems?.map((d) => ({ line: d.line, column: d.column, reason: relativize(d.reason), ruleId: d.ruleId })) : undefined;
    other.push({ kind: 'structural', name: rest.name, line: rest.line ?? rest.meta?.line ?? 1, status: testStatus(rest), ...messageField(rest, relativize), ...(problems?.length ? { problems } : {}) });
  }
  const unbacked = unbackedSections(plan);
  const errors = (module?.errors ?? []).map(relativize);
  const counts = countNote(claims, examples, other, unbacked.length, errors.length);
  return {
    path: plan.path,
    title: plan.title,
    claims,
    examples,
    other,
    unbackedSections: unbacked,
    errors,
    counts,
    failed: counts.failures > 0,
  };
}

function claimReport(item: ClaimPlan, found: CollectedCase | undefined, relativize: Relativize): ClaimReport {
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
      ...(e.message !== undefined ? { message: relativize(e.message) } : {}),
      ...(e.url !== undefined ? { url: e.url } : {}),
      ...(e.weak !== undefined ? { weak: e.weak } : {}),
    })),
    ...(test === 'failed' ? messageField(found, relativize) : {}),
  };
}

function exampleReport(item: ExamplePlan, found: CollectedCase | undefined, relativize: Relativize): ExampleReport {
  const name = caseName(item);
  const o = item.options;
  const base = {
    id: item.id,
    name,
    line: item.line,
    lang: item.lang,
    ...(item.setup.length > 0 ? { setup: item.setup.map((p) => ({ line: p.firstLine, code: p.code, ...(p.file ? { file: p.file } : {}) })) } : {}),
    ...(item.teardown.length > 0 ? { teardown: item.teardown.map((p) => ({ line: p.firstLine, code: p.code })) } : {}),
    ...(o.requires.length > 0 ? { requires: o.requires } : {}),
    ...(o.session !== undefined ? { session: o.session } : {}),
    ...(o.skip !== undefined ? { skip: o.skip } : {}),
  };
  // Why the plan does not run it (a language turned off for the file, `run: "marked"`, …), for when the run says nothing.
  const message = messageField(found, relativize);
  const reason = message.message === undefined && item.notRun !== undefined ? { message: `not run: ${item.notRun}` } : {};
  // Without meta the body never ran (note failed to load, or a hook failed before it).
  if (!found?.meta || found.state === 'pending') return { ...base, status: 'not-run', ...message, ...reason };
  if (found.state === 'skipped') {
    // A block the plan does not run is "not run", as one without a runner (src/run/run-note.ts skips both).
    const notRun = (item.runner === null || item.notRun !== undefined) && !item.include;
    return { ...base, status: notRun ? 'not-run' : 'skipped', ...message, ...reason };
  }
  return { ...base, status: found.state, ...message };
}

function testStatus(found: CollectedCase | undefined): TestStatus {
  if (!found || found.state === 'pending') return 'not-run';
  return found.state;
}

/** The most useful text about a case: its error, its skip reason, or the runtime's message. */
function messageField(found: CollectedCase | undefined, relativize: Relativize = (t) => t): { message?: string } {
  if (!found) return {};
  const message = found.errors.length > 0 ? found.errors.join('\n\n') : found.skipNote ?? found.meta?.message;
  return message ? { message: relativize(message) } : {};
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
