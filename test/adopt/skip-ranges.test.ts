/** `<!-- skip start -->` … `<!-- skip end -->` and `<!-- skip next -->` (Sybil's `skip:` markers read the same). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';

const root = path.resolve('test/fixtures/adopt');
const file = path.join(root, 'skip-ranges.md');
const plan = extractPlan(noteFromText(file, readFileSync(file, 'utf8'), { root }), { root });

it('skips the examples of a range and the one after skip next', () => {
  const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example');
  expect(examples.map((e) => [e.line, e.options.skip])).toEqual([
    [5, 'needs a server'],
    [13, 'needs a server'],
    [19, undefined],
    [25, true],
    [29, undefined],
    [41, true],
  ]);
});

it('reports a typo, an end without a start and an unclosed range at their lines', () => {
  expect(plan.diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['33:1 skip-range', '35:6 misspelled-annotation', '37:1 skip-range', '39:1 skip-range']);
  expect(plan.diagnostics[0]!.reason).toMatch(/not `strat`; did you mean `start`\?/);
  expect(plan.diagnostics[1]!.reason).toMatch(/did you mean `<!-- skip`\?/);
  expect(plan.diagnostics[3]!.reason).toMatch(/never ended/);
});
