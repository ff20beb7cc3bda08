/**
 * Which evidence asserts something (rule `claim-weak-evidence`): one fixture
 * note per weak kind and per strong kind, planned as the engine plans them.
 */
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { checkWeakness, exampleWeakness } from '../../src/plan/evidence-strength.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ClaimPlan, ExamplePlan } from '../../src/plan/types.ts';

const F = '```';
const root = '/repo';

/** The weakness of the claim `c`'s one piece of evidence. */
function weakness(markdown: string): string | undefined {
  const plan = extractPlan(noteFromText(`${root}/notes/x.md`, `# T\n\nIt holds.\n\n${markdown}\n`, { root }), { root });
  expect(plan.diagnostics).toEqual([]);
  const claim = plan.items.find((i): i is ClaimPlan => i.kind === 'claim')!;
  const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example' && claim.examples.includes(i.id));
  const all = [...examples.map(exampleWeakness), ...claim.checks.map(checkWeakness)];
  expect(all).toHaveLength(1);
  return all[0];
}

const py = (code: string, info = '') => `<!-- claim c -->\n\n${F}python claim=c${info}\n${code}\n${F}\n`;
const check = (code: string) => `<!-- claim c\n${code}\n-->`;

describe('weak evidence', () => {
  it.each([
    ['python example with no output, raises or assert', py('x = sorted([2, 1])\nprint(x)'), /no `output` block/],
    ['assert only inside a comment', py('x = 1  # assert x == 1'), /no `output` block/],
    ['assert only inside a string', py('print("assert x == 1; raise")'), /no `output` block/],
    ['sys.exit(0) is no check', py('import sys\nsys.exit(0)'), /no `output` block/],
    ['hidden check that asserts nothing', check('x = sorted([2, 1])'), /hidden check has no `assert`/],
    ['hidden check that reads source', check('import inspect, json\nassert "sort" in inspect.getsource(json.dumps)'), /inspects source text/],
    ['hidden check on __code__', check('def f(): return 1\nassert f.__code__.co_argcount == 0'), /inspects source text/],
    ['example with output that disassembles', `<!-- claim c -->\n\n${F}python claim=c\nimport dis\ndis.dis(lambda: 1)\n${F}\n\n${F}output\n...\n${F}\n`, /inspects source text/],
    ['sh example with neither exit nor output', `<!-- claim c -->\n\n${F}sh claim=c\nls /\n${F}\n`, /no `exit=`/],
    ['console transcript with no output', `<!-- claim c -->\n\n${F}console claim=c\n$ true\n${F}\n`, /no `exit=`/],
    ['pycon with prompts only', `<!-- claim c -->\n\n${F}pycon claim=c\n>>> x = 1\n${F}\n`, /no `output` block/],
    ['js with no assert', `<!-- claim c -->\n\n${F}js claim=c\nconsole.log(1) // assert\n${F}\n`, /no `output` block/],
  ])('%s', (_name, markdown, reason) => {
    expect(weakness(markdown)).toMatch(reason);
  });
});

describe('strong evidence', () => {
  it.each([
    ['python example with an output block', `${py('print(1)')}\n${F}output\n1\n${F}\n`],
    ['python example with raises=', py('int("x")', ' raises=ValueError')],
    ['python assert statement', py('assert sorted([2, 1]) == [1, 2]')],
    ['python raise', py('if sorted([2, 1]) != [1, 2]:\n    raise SystemExit("unsorted")')],
    ['unittest-style assertion', py('import unittest\nunittest.TestCase().assertEqual(1, 1)')],
    ['sys.exit(1)-style check', py('import sys\nif 1 != 1:\n    sys.exit(1)')],
    ['hidden check with assert', check('assert 1 + 1 == 2')],
    ['hidden check with raises=', '<!-- claim c raises=ZeroDivisionError\n1 / 0\n-->'],
    ['sh with exit=', `<!-- claim c -->\n\n${F}sh claim=c exit=1\nfalse\n${F}\n`],
    ['sh with output', `<!-- claim c -->\n\n${F}sh claim=c\necho hi\n${F}\n\n${F}output\nhi\n${F}\n`],
    ['console with output', `<!-- claim c -->\n\n${F}console claim=c\n$ echo hi\nhi\n${F}\n`],
    ['pycon with output', `<!-- claim c -->\n\n${F}pycon claim=c\n>>> 1 + 1\n2\n${F}\n`],
    ['js with assert', `<!-- claim c -->\n\n${F}js claim=c\nimport assert from 'node:assert';\nassert.equal(1, 1);\n${F}\n`],
    ['ts with throw', `<!-- claim c -->\n\n${F}ts claim=c\nif ([1].length !== 1) throw new Error('no');\n${F}\n`],
  ])('%s', (_name, markdown) => {
    expect(weakness(markdown)).toBeUndefined();
  });
});
