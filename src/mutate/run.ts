/**
 * Runs the mutations of one note's claims on the engine: a `NoteRun` on each
 * mutated plan, evaluating only that claim's evidence, in the process's one
 * warm worker pool. A claim whose evidence fails unmutated is not mutated (its
 * failure is `kb report`'s business).
 */
import { createHash } from 'node:crypto';
import type { ClaimPlan, NotePlan } from '../plan/types.ts';
import { NoteRun, type ClaimVerdict } from '../run/run-note.ts';
import type { RunSettings } from '../run/settings.ts';
import { parseCondition, pythonConditionHolds } from '../run/requires.ts';
import { resolvePython } from '../run/runners/python/interpreter.ts';
import { claimMutations, DEFAULT_LIMIT, type OutputApplies } from './mutations.ts';

export interface MutationOutcome {
  what: string;
  line: number;
  /** True when the claim's evidence still passed with this change. */
  survived: boolean;
}

export interface ClaimMutations {
  id: string;
  line: number;
  /** `skipped` with a reason when the claim was not mutated. */
  skipped?: string;
  mutations: MutationOutcome[];
}

export interface NoteMutations {
  /** Path relative to the root, with `/`. */
  path: string;
  /** sha256 of the note's text: a saved result of another text is stale. */
  hash: string;
  claims: ClaimMutations[];
}

export interface MutateNoteOptions {
  plan: NotePlan;
  text: string;
  file: string;
  root: string;
  settings: RunSettings;
  limit?: number;
  /** Called after each claim, for progress. */
  onClaim?: (claim: ClaimMutations) => void;
}

export function noteHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function mutateNote(options: MutateNoteOptions): Promise<NoteMutations> {
  const { plan, file, root, settings } = options;
  const claims: ClaimMutations[] = [];
  for (const claim of plan.items.filter((i): i is ClaimPlan => i.kind === 'claim')) {
    const result = await mutateClaim(plan, claim, file, root, settings, options.limit ?? DEFAULT_LIMIT);
    claims.push(result);
    options.onClaim?.(result);
  }
  return { path: plan.path, hash: noteHash(options.text), claims };
}

async function mutateClaim(plan: NotePlan, claim: ClaimPlan, file: string, root: string, settings: RunSettings, limit: number): Promise<ClaimMutations> {
  const base = { id: claim.id, line: claim.line };
  if (claim.examples.length === 0 && claim.checks.length === 0) return { ...base, skipped: 'no executable evidence', mutations: [] };
  const baseline = await claimPasses(plan, claim.id, file, root, settings);
  if (!baseline.passes) return { ...base, skipped: `its evidence does not pass unmutated (${baseline.status})`, mutations: [] };
  // The verdict lists the examples in the claim's order, then its checks.
  const ran = baseline.evidence.filter((e) => e.kind !== 'cite').map((e) => e.status === 'passed');
  const evidenceRan = { example: (id: string) => ran[claim.examples.indexOf(id)] === true, check: (index: number) => ran[claim.examples.length + index] === true };
  const mutations = claimMutations(plan, claim, limit, await outputApplies(settings), evidenceRan);
  if (mutations.length === 0) return { ...base, skipped: 'its evidence has no expected value to change', mutations: [] };
  // All at once: the pool pipelines them.
  const outcomes = await Promise.all(
    // Each mutated plan gets its own path, so concurrent runs never share a session's interpreter state.
    mutations.map(async (m, n) => ({ what: m.what, line: m.line, survived: (await claimPasses({ ...m.plan, path: `${plan.path}~mutation-${n + 1}` }, claim.id, file, root, settings)).passes })),
  );
  return { ...base, mutations: outcomes };
}

async function claimPasses(plan: NotePlan, id: string, file: string, root: string, settings: RunSettings): Promise<{ passes: boolean; status: string; evidence: ClaimVerdict['evidence'] }> {
  const run = new NoteRun(plan, file, root, settings);
  try {
    const verdict = await run.claimVerdict(run.claims.get(id)!);
    return { passes: verdict.status === 'verified' || verdict.status === 'weak', status: verdict.status, evidence: verdict.evidence };
  } finally {
    await run.closeSessions();
  }
}

/** Python-version conditions are judged against the run's interpreter; module conditions are left to the run. */
async function outputApplies(settings: RunSettings): Promise<OutputApplies> {
  const version = await resolvePython(settings).then((p) => p.version as number[], () => undefined);
  return (requires) =>
    requires.every((text) => {
      const condition = parseCondition(text);
      return typeof condition === 'string' || condition.kind !== 'python' || version === undefined || pythonConditionHolds(condition, version);
    });
}
