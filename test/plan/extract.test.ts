import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ClaimPlan, ExamplePlan } from '../../src/plan/types.ts';

const root = '/repo';
const plan = (text: string) => extractPlan(noteFromText('/repo/notes/x.md', text, { root }), { root });
const problems = (text: string) => plan(text).diagnostics.map(formatDiagnostic);
const fence = '```';

describe('extract: diagnostics are positioned and explain the fix', () => {
  it.each([
    ['unknown option', `# T\n\n${fence}python tiemout=2\npass\n${fence}\n`, /^notes\/x\.md:3:11: unknown option `tiemout` on a `python` example; did you mean `timeout`\? \(known options: `name`, .*`timeout`.* \[unknown-option\]$/],
    ['flag given a value', `${fence}python ellipsis=yes\npass\n${fence}\n`, /^notes\/x\.md:1:11: option `ellipsis` is a flag .*\[invalid-option-value\]$/],
    ['bad timeout', `${fence}python timeout=soon\npass\n${fence}\n`, /positive number of seconds.*\[invalid-option-value\]$/],
    ['option for another language', `${fence}sh raises=ValueError\ntrue\n${fence}\n`, /does not apply to sh examples.*\[option-not-applicable\]$/],
    ['misspelt language', `${fence}pyhton\npass\n${fence}\n`, /^notes\/x\.md:1:4: unknown language `pyhton`; did you mean `python`\?.*\[unknown-language\]$/],
    ['orphan output', `text\n\n${fence}output\n1\n${fence}\n`, /^notes\/x\.md:3:1: this `output` block follows no example.*\[orphan-output\]$/],
    ['output after a text block', `${fence}text\nx\n${fence}\n${fence}output\n1\n${fence}\n`, /\[orphan-output\]$/],
    ['unterminated fence', `# T\n\n${fence}python\nprint(1)\n\n## more\n`, /^notes\/x\.md:3:1: this fence is never closed.*\[unterminated-fence\]$/],
    ['malformed info string', `${fence}python name="unclosed\npass\n${fence}\n`, /^notes\/x\.md:1:11: malformed info string: unterminated quoted value.*\[malformed-info-string\]$/],
    ['match without raises', `${fence}python match=x\npass\n${fence}\n`, /add `raises=ExceptionName`.*\[match-without-raises\]$/],
    ['claim without id', `Text.\n<!-- claim -->\n`, /^notes\/x\.md:2:1: `claim` needs an id.*\[annotation-missing-argument\]$/],
    ['claim: with a colon and no id', `Text.\n<!-- claim: -->\n`, /^notes\/x\.md:2:1: `claim` needs an id.*\[annotation-missing-argument\]$/],
    ['claim with malformed options', `Text.\n<!-- claim a cite="x -->\n`, /\[malformed-annotation\]$/],
    ['claim with bad cite', `Text.\n<!-- claim a cite=nope -->\n`, /`cite=` needs an http\(s\) URL.*\[invalid-option-value\]$/],
    ['duplicate claim ids', `One. <!-- claim a cite=https://x.y -->\n\nTwo. <!-- claim a cite=https://x.y -->\n`, /^notes\/x\.md:3:6: duplicate claim id `a` \(first used at line 1\).*\[duplicate-claim\]$/],
    ['empty claim', `# T\n\n<!-- claim a cite=https://x.y -->\n`, /^notes\/x\.md:3:1: claim `a` annotates no text.*\[empty-claim\]$/],
    ['evidence for an unknown claim', `A. <!-- claim alpha cite=https://x.y -->\n\n${fence}python claim=alpah\npass\n${fence}\n`, /^notes\/x\.md:3:1: the example at line 3 names claim `alpah`.*did you mean `alpha`\?.*\[unknown-claim\]$/],
    ['check for an unknown claim', `<!-- check nope\nassert True\n-->\n`, /\[unknown-claim\]$/],
    ['include leaving the repository', `<!-- include ../../../etc/passwd -->\n${fence}text\nx\n${fence}\n`, /^notes\/x\.md:1:1: include path `..\/..\/..\/etc\/passwd` leaves the repository.*\[include-outside-repository\]$/],
    ['absolute include', `<!-- include /etc/passwd -->\n${fence}text\nx\n${fence}\n`, /\[include-outside-repository\]$/],
    ['include without fence', `<!-- include a.py -->\n\nText.\n`, /\[include-without-fence\]$/],
    ['setup inside a paragraph', `Text <!-- setup -->\n`, /must stand on its own lines.*\[annotation-in-paragraph\]$/],
  ])('%s', (_name, text, expected) => {
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('a problem becomes a failing item at its line', () => {
    const p = plan(`# T\n\n${fence}python timout=1\npass\n${fence}\n`);
    expect(p.items).toEqual([expect.objectContaining({ kind: 'problem', line: 3 })]);
  });
});

describe('extract: examples', () => {
  const text = [
    '# Title', '', '## Pitfalls', '', '### Concurrency', '', `${fence}python name="two tasks" timeout=2 claim=c1,c2`, 'print(1)', fence,
    `${fence}output unordered`, '1', fence, '', 'Claim one. <!-- claim c1 -->', '', '- item two <!-- claim c2 -->', '',
    `${fence}json`, '{}', fence, '', `${fence}rust`, 'fn main() {}', fence, '',
  ].join('\n');
  const p = plan(text);
  const examples = p.items.filter((i): i is ExamplePlan => i.kind === 'example');

  it('records options, output and heading path (without the note title)', () => {
    expect(examples[0]).toMatchObject({
      runner: 'python',
      line: 7,
      codeLine: 8,
      code: 'print(1)',
      headingPath: ['Pitfalls', 'Concurrency'],
      options: { name: 'two tasks', timeoutMs: 2000, claims: ['c1', 'c2'] },
      outputs: [{ text: '1', line: 10, modes: ['unordered'] }],
    });
  });

  it('data blocks are not tests; unknown languages are listed as not run', () => {
    expect(examples.map((e) => [e.lang, e.runner])).toEqual([['python', 'python'], ['rust', null]]);
  });

  it('binds claims to the sentence or list item before the annotation', () => {
    const claims = p.items.filter((i): i is ClaimPlan => i.kind === 'claim');
    expect(claims.map((c) => [c.id, c.text, c.examples])).toEqual([
      ['c1', 'Claim one.', ['example-7']],
      ['c2', 'item two', ['example-7']],
    ]);
  });
});

describe('extract: claims, checks, setup', () => {
  it('block claims take the previous block and may carry a hidden check', () => {
    const p = plan('## S\n\nFirst sentence. Second sentence.\n<!-- claim two-sentences\nx = 1\nassert x == 1\n-->\n');
    const claim = p.items.find((i): i is ClaimPlan => i.kind === 'claim')!;
    expect(claim).toMatchObject({ text: 'First sentence. Second sentence.', line: 4, checks: [{ code: 'x = 1\nassert x == 1', firstLine: 5 }] });
  });

  it('inline claims split a paragraph into sentences', () => {
    const p = plan('One is true. <!-- claim one cite=https://a.b --> Two is *also* true. <!-- claim two cite=https://a.b -->\n');
    expect(p.items.map((i) => (i as ClaimPlan).text)).toEqual(['One is true.', 'Two is also true.']);
  });

  it.each([
    ['two trailing spaces, inline', 'Keep writing  \nyour notes. <!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
    ['a backslash, inline', 'Keep writing\\\nyour notes. <!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
    ['a soft line ending, inline', 'Keep writing\nyour notes. <!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
    ['a break inside emphasis, inline', 'Keep *writing  \nyour* notes. <!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
    ['two trailing spaces, block', 'Keep writing  \nyour notes.\n<!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
    ['a backslash in a list item, block', '- Keep writing\\\n  your notes.\n\n<!-- claim a cite=https://a.b -->\n', 'Keep writing your notes.'],
  ])('a hard line break in a claim reads as a space: %s', (_name, text, expected) => {
    const claim = plan(text).items.find((i): i is ClaimPlan => i.kind === 'claim');
    expect(claim?.text).toBe(expected);
  });

  it('setup applies to its section and subsections only', () => {
    const p = plan([
      '# T', '', '<!-- setup', 'a = 1', '-->', '', '## A', '', '<!-- setup', 'b = 2', '-->', '',
      `${fence}python`, 'assert a + b == 3', fence, '', '## B', '', `${fence}python`, 'assert a == 1', fence, '',
    ].join('\n'));
    const [inA, inB] = p.items as ExamplePlan[];
    expect(inA!.setup).toEqual([{ code: 'a = 1', firstLine: 4 }, { code: 'b = 2', firstLine: 10 }]);
    expect(inB!.setup).toEqual([{ code: 'a = 1', firstLine: 4 }]);
  });
});
