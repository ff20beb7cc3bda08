/** A failure whose cause is a matching rule says so and names what fixes it. */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/run/evaluate.ts';
import { mismatchHints, reprItems } from '../../src/run/output-hints.ts';

describe('mismatch hints', () => {
  it.each([
    ['doctest blank line', 'a', 'a\n\nb', [], 'doctest', [/<BLANKLINE>/]],
    ['blank lines in an output block', 'a\nb', 'a\n\nb', [], 'output', [/only in blank lines.*normalize-whitespace/]],
    ['ellipsis meant', 'start ... end', 'start 123 end', [], 'output', [/add `ellipsis` on the `output` block/]],
    ['ellipsis meant in doctest', '<Foo at 0x...>', '<Foo at 0x7f00>', [], 'doctest', [/`ellipsis` on the fence \(or `# doctest: \+ELLIPSIS`/]],
    ['whitespace', 'a  b', 'a b', [], 'output', [/only in whitespace; add `normalize-whitespace`/]],
    ['line order', 'one\ntwo', 'two\none', [], 'output', [/another order.*`unordered`/]],
    ['set order', "{'b', 'a'}", "{'a', 'b'}", [], 'doctest', [/set items in another order.*sorted/]],
    ['dict order', "{'b': 1, 'a': {'x': 2}}", "{'a': {'x': 2}, 'b': 1}", [], 'output', [/dict items in another order/]],
    ['a real difference', 'a', 'b', [], 'output', []],
    ['different items', "{'a', 'b'}", "{'a', 'c'}", [], 'output', []],
    ['ellipsis already on', 'x ... y', 'z', ['ellipsis'], 'output', []],
  ] as const)('%s', (_name, expected, actual, modes, context, want) => {
    const hints = mismatchHints(expected, actual, modes, context);
    expect(hints).toHaveLength(want.length);
    want.forEach((re, i) => expect(hints[i]).toMatch(re));
  });

  it('reads repr items with nested brackets and quoted commas', () => {
    expect(reprItems("{'a,b': (1, 2), 'c': [3]}")).toEqual({ kind: 'dict', items: ["'a,b': (1, 2)", "'c': [3]"] });
    expect(reprItems('frozenset({1, 2})')).toEqual({ kind: 'set', items: ['1', '2'] });
    expect(reprItems('{1}')).toBeUndefined();
  });

  it('an output failure message carries the hint', () => {
    const block = { text: 'took ... ms\n', line: 7, column: 1, bodyStart: 0, bodyEnd: 0, modes: [], requires: [] };
    const v = evaluate({ status: 'passed', stdout: 'took 12 ms\n', stderr: '', durationMs: 1 }, { output: { block, index: 0 }, modes: [], line: 3 });
    expect(v.status).toBe('failed');
    expect(v.message).toMatch(/hint: the expected output has `\.\.\.` and would match with `ellipsis`/);
  });

  it('a failing prompt carries the hint', () => {
    const v = evaluate(
      { status: 'failed', stdout: '', stderr: '', durationMs: 1, doctestFailures: [{ line: 4, source: 'print("a\\n\\nb")\n', expected: 'a\n', got: 'a\n\nb\n' }] },
      { modes: [], line: 3 },
    );
    expect(v.message).toMatch(/line 4: .*\n[\s\S]*hint: .*<BLANKLINE>/);
  });
});
