/**
 * Runtime of a note's test file: registers one vitest case per plan item, in
 * the order `codegen` wrote the calls, and turns verdicts into vitest results.
 * Failures carry a stack frame at the note's line, so vitest's code frame shows
 * the Markdown.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, inject, test, type TestContext } from 'vitest';
import { activeSettings, useSettings, type RunSettings } from '../run/settings.ts';
import { usePoolServer } from '../run/runners/python/index.ts';
import { trustBwrapCheck } from '../run/sandbox/bwrap.ts';
import type { PlainDiagnostic } from '../diagnostics/index.ts';
import { NoteRun, type ClaimVerdict } from '../run/run-note.ts';
import type { PlanItem } from '../plan/types.ts';
import type { Verdict } from '../run/result.ts';
import type { CompiledNote, StructuralCase } from './codegen.ts';
import { caseName, shorten } from './names.ts';
import { NoteFailure } from './failure.ts';

type Case =
  | { kind: 'item'; item: PlanItem }
  | { kind: 'structural'; structural: StructuralCase };

/** Per-case data for reporters (`task.meta.kb`): the report and the update command read it. */
export interface CaseMeta {
  kind: PlanItem['kind'] | 'structural';
  id?: string;
  line: number;
  status?: Verdict['status'];
  claim?: ClaimVerdict & { text: string; id: string };
  actualOutput?: string;
  outputIndex?: number;
  updatable?: Verdict['updatable'];
  prompts?: Verdict['prompts'];
  runStatus?: Verdict['runStatus'];
  message?: string;
  /** The positioned problems behind a failed structural case (each broken link, each TOC entry). */
  problems?: PlainDiagnostic[];
}

declare module 'vitest' {
  interface ProvidedContext {
    /** Cited-only and weak claims fail: provided by the plugin (`kbNotes({ strict })` or the configuration). */
    kbStrict?: boolean;
  }
}

const strict = () => inject('kbStrict') === true;

/** The settings global setup resolved once for the run (see global-setup.ts). */
function settings(): RunSettings {
  const provided = (inject as (key: string) => RunSettings | undefined)('kbRunSettings');
  if (provided) {
    useSettings(provided);
    // Global setup tried bubblewrap for this run: it left the sandbox on only if bubblewrap works
    // (unusable, it turned `auto` off and failed the run on `required`).
    if (provided.sandbox !== 'off') trustBwrapCheck(provided.bwrap, { ok: true });
  }
  usePoolServer(inject('kbPoolServer'));
  return activeSettings();
}

/**
 * The compiled note the plugin wrote beside its cache entry (codegen.ts `planFile`). Gone only if
 * someone removed the cache while vitest was running: one clear error for the note.
 */
export function readCompiledNote(planFile: string): CompiledNote {
  let text: string;
  try {
    text = readFileSync(planFile, 'utf8');
  } catch (error) {
    throw new Error(`kb-doctest: the compiled note ${planFile} is gone (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the cache folder was removed during the run. Run vitest again.`);
  }
  return JSON.parse(text) as CompiledNote;
}

export function defineNoteTests(compiled: CompiledNote) {
  const run = new NoteRun(compiled.plan, compiled.file, compiled.root, settings());
  const cases: Case[] = [
    ...compiled.plan.items.map((item): Case => ({ kind: 'item', item })),
    ...compiled.structural.map((structural): Case => ({ kind: 'structural', structural })),
  ];

  // Queue every selected example at once: the worker pipelines them, so no case waits on a round trip.
  beforeAll(({}, suite) => {
    const tasks = (suite as unknown as { tasks: { name: string; mode: string }[] }).tasks;
    const selected = new Set(tasks.filter((t) => t.mode === 'run' || t.mode === 'only').map((t) => t.name));
    cases.forEach((c, index) => {
      if (c.kind !== 'item' || !selected.has(names[index]!)) return;
      if (c.item.kind === 'example' && c.item.runner && c.item.options.skip === undefined) void run.exampleVerdict(c.item.id);
    });
  });
  afterAll(() => run.closeSessions());

  const names = cases.map((c) => (c.kind === 'item' ? caseName(c.item) : c.structural.name));

  const fail = (message: string, line: number | undefined, column = 1): never => {
    throw new NoteFailure(message, compiled.file, line ?? 1, column);
  };

  const bodies = cases.map((c) => async (context: TestContext) => {
    const meta = ((context.task.meta as Record<string, unknown>)['kb'] = { kind: c.kind === 'item' ? c.item.kind : 'structural', line: c.kind === 'item' ? c.item.line : c.structural.line } as CaseMeta);
    if (c.kind === 'structural') {
      if (c.structural.skip) return context.skip(c.structural.skip);
      if (c.structural.problems?.length) meta.problems = c.structural.problems;
      if (c.structural.failure) fail(c.structural.failure, c.structural.failureLine ?? c.structural.line);
      return;
    }
    const item = c.item;
    switch (item.kind) {
      case 'problem':
        meta.status = 'failed';
        fail(`${item.diagnostic.reason} [${item.diagnostic.ruleId}]`, item.line, item.column);
        return;
      case 'example': {
        meta.id = item.id;
        const verdict = await run.exampleVerdict(item.id);
        meta.status = verdict.status;
        meta.actualOutput = verdict.actualOutput;
        meta.outputIndex = verdict.outputIndex;
        meta.updatable = verdict.updatable;
        meta.prompts = verdict.prompts;
        meta.runStatus = verdict.runStatus;
        meta.message = verdict.message;
        if (verdict.status === 'skipped') return context.skip(verdict.message);
        if (verdict.status === 'failed') fail(verdict.message ?? 'failed', verdict.line ?? item.line);
        return;
      }
      case 'script': {
        meta.id = item.id;
        const verdict = await run.scriptVerdict(item);
        meta.status = verdict.status;
        if (verdict.status === 'skipped') return context.skip(verdict.message);
        if (verdict.status === 'failed') fail(`linked script \`${item.path}\` failed:\n\n${verdict.message}`, item.line, item.column);
        return;
      }
      case 'claim': {
        meta.id = item.id;
        const verdict = await run.claimVerdict(item);
        meta.claim = { ...verdict, text: item.text, id: item.id };
        const quote = `Claim "${shorten(item.text, 200)}" (\`${item.id}\`)`;
        if (verdict.status === 'failing') {
          const bad = verdict.evidence.filter((e) => e.status === 'failed');
          meta.status = 'failed';
          fail(`${quote} is not backed by its evidence:\n\n${bad.map((e) => `${e.kind === 'example' ? 'example' : 'hidden check'} at line ${e.line} failed:\n${indent(e.message ?? '')}`).join('\n\n')}`, bad[0]!.line);
        }
        if (verdict.status === 'no-evidence') {
          meta.status = 'failed';
          fail(`${quote} has no evidence; add a hidden check inside the annotation, name it from an example (\`claim=${item.id}\`), or cite a source (\`cite=URL\`) [claim-without-evidence]`, item.line, item.column);
        }
        if (verdict.status === 'cited' && strict()) {
          meta.status = 'failed';
          fail(`${quote} is only cited (${item.cites.join(', ')}); KB_STRICT requires executable evidence [claim-only-cited]`, item.line, item.column);
        }
        if (verdict.status === 'weak' && strict()) {
          meta.status = 'failed';
          const weak = verdict.evidence.filter((e) => e.weak);
          fail(`${quote} is backed only by evidence that asserts nothing; strict mode requires an \`output\` block, \`raises=\` or an \`assert\`:\n\n${weak.map((e) => `${e.kind === 'example' ? 'example' : 'hidden check'} at line ${e.line}: ${e.weak}`).join('\n')} [claim-weak-evidence]`, weak[0]?.line ?? item.line);
        }
        meta.status = 'passed';
        return;
      }
    }
  });

  const timeouts = cases.map((c) => {
    if (c.kind !== 'item') return 30_000;
    // The pool enforces each example's own timeout; vitest's only guards against the unforeseen.
    const own = c.item.kind === 'example' ? c.item.options.timeoutMs : c.item.kind === 'claim' ? c.item.checks.reduce((s, ch) => s + ch.timeoutMs, 0) : 60_000;
    return own + totalBudget(compiled) + 5_000;
  });

  // Column 1, as the identity source map gave every case before (codegen.ts).
  const lines = cases.map((c) => ({ line: c.kind === 'item' ? c.item.line : c.structural.line, column: 1 }));

  return {
    test: (index: number) => locatedTest(compiled.file, lines[index]!),
    name: (index: number) => names[index]!,
    fn: (index: number) => bodies[index]!,
    timeout: (index: number) => timeouts[index]!,
  };
}

/**
 * `test`, with the case's location taken from the plan. With `includeTaskLocation`, vitest formats
 * a stack trace per test to find the caller's line, through vite's source-map-aware
 * `Error.prepareStackTrace` (measured ~0.5 ms a test). The line is already known here, so during
 * the registration the stack is formatted as one frame at the fence: vitest reads the same
 * location from it, for `file:line` filters, reporters and a timeout's stack, at no cost.
 */
function locatedTest(file: string, at: { line: number; column: number }): typeof test {
  return ((...args: Parameters<typeof test>) => {
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}\n    at ${file}:${at.line}:${at.column}`;
    try {
      return (test as (...a: unknown[]) => unknown)(...args);
    } finally {
      Error.prepareStackTrace = previous;
    }
  }) as typeof test;
}

/** Examples queue behind each other in the worker, so a case may wait for those before it. */
function totalBudget(compiled: CompiledNote): number {
  return compiled.plan.items.reduce((sum, item) => sum + (item.kind === 'example' && item.runner ? item.options.timeoutMs : 0), 0);
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}
