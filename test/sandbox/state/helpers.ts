/** Running fixture notes through the engine (NoteRun), in this thread's one shared worker pool. */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { noteFromText } from '../../../src/markdown/parse.ts';
import { extractPlan } from '../../../src/plan/extract.ts';
import type { ExamplePlan } from '../../../src/plan/types.ts';
import type { Verdict } from '../../../src/run/result.ts';
import { NoteRun } from '../../../src/run/run-note.ts';
import { hostPids } from '../../run/python/fixtures/helpers.ts';

export const KB = path.resolve('test/sandbox/state/fixtures/kb');

/** Every example's verdict, by name (or `line N`), run in note order as vitest would queue them. */
export async function runNote(file: string, root = KB): Promise<Map<string, Verdict>> {
  const abs = path.resolve(root, file);
  const note = noteFromText(abs, readFileSync(abs, 'utf8'), { root });
  const plan = extractPlan(note, { root });
  expect(plan.diagnostics).toEqual([]);
  // Unsandboxed: these tests tell workers apart by pid, which a sandbox's PID namespace hides.
  const run = new NoteRun(plan, abs, root, hostPids);
  const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example');
  const verdicts = await Promise.all(examples.map((e) => run.exampleVerdict(e.id)));
  await run.closeSessions();
  return new Map(examples.map((e, i) => [e.options.name ?? `line ${e.line}`, verdicts[i]!]));
}

/** The worker pid an example printed as `pid N`. */
export function pidOf(verdict: Verdict | undefined): number {
  const pid = Number(/pid (\d+)/.exec(verdict?.actualOutput ?? '')?.[1]);
  if (!pid) throw new Error(`no pid in ${JSON.stringify(verdict)}`);
  return pid;
}
