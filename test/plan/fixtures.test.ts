/**
 * Minimal notes in test/fixtures/plan/, each with the exact diagnostics
 * (`line:column rule`) its plan must raise: nothing passes by accident, and
 * other renderers' syntax is not an error.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';

const root = path.resolve('test/fixtures/plan');
const planOf = (name: string) => {
  const file = path.join(root, name);
  return extractPlan(noteFromText(file, readFileSync(file, 'utf8'), { root }), { root });
};
const found = (name: string) => planOf(name).diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`);
const reasons = (name: string) => planOf(name).diagnostics.map((d) => d.reason);
const examples = (name: string) => planOf(name).items.filter((i): i is ExamplePlan => i.kind === 'example');

describe('nothing passes by accident', () => {
  it.each([
    ['second-output.md', ['11:1 duplicate-output']],
    ['shadowed-output.md', ['11:1 duplicate-output']],
    ['output-alternatives.md', []],
    ['misspelt-annotations.md', ['3:25 misspelled-annotation', '5:25 misspelled-annotation', '7:6 misspelled-annotation', '12:6 misspelled-annotation', '16:6 misspelled-annotation', '20:6 misspelled-annotation']],
    ['ordinary-comments.md', []],
    ['indented-code-with-backticks.md', []],
    ['myst-directives.md', []],
    ['myst-options.md', ['5:14 option-not-applicable', '10:23 option-not-applicable', '14:24 unknown-option', '18:14 option-not-applicable']],
    ['unclosed-fence-in-quote.md', ['5:3 unterminated-fence']],
    ['malformed-requires.md', ['3:11 malformed-requires', '7:11 malformed-requires', '15:11 malformed-requires']],
    ['backslash-match.md', []],
    ['renderer-syntax.md', []],
    ['renderer-near-miss.md', ['3:27 unknown-option', '7:14 unknown-option', '11:24 unknown-option']],
    ['languages.md', ['35:4 unknown-language', '39:4 unknown-language']],
  ])('%s', (name, expected) => {
    expect(found(name)).toEqual(expected);
  });

  it('a second output block says which one hides it', () => {
    expect(reasons('second-output.md')[0]).toMatch(/the one at line 7 has no `requires=`, so it always applies/);
  });

  it('a misspelt annotation says what was meant', () => {
    expect(reasons('misspelt-annotations.md')).toEqual([
      expect.stringMatching(/`<!-- clam` is not an annotation .*did you mean `<!-- claim`\?/),
      expect.stringMatching(/`<!-- Claim` is not an annotation \(annotation keywords are lower case\); did you mean `<!-- claim`\?/),
      expect.stringMatching(/did you mean `<!-- include`\?/),
      expect.stringMatching(/did you mean `<!-- setup`\?/),
      expect.stringMatching(/did you mean `<!-- teardown`\?/),
      expect.stringMatching(/did you mean `<!-- check`\?/),
    ]);
  });

  it('a malformed requires names the problem', () => {
    expect(reasons('malformed-requires.md')).toEqual([
      expect.stringMatching(/unknown tool `pyhton`.*did you mean `python`\?/),
      expect.stringMatching(/cannot read the version `3\.x`/),
      expect.stringMatching(/unknown comparison `=>`/),
    ]);
  });

  it('reads the info string from the source: backslashes survive', () => {
    expect(examples('backslash-match.md')[0]!.options.match).toBe(String.raw`\(\d+\) items\.`);
  });

  it('near-misses of its own options say "did you mean"', () => {
    expect(reasons('renderer-near-miss.md')).toEqual([
      expect.stringMatching(/unknown option `timout` on a `python` example; did you mean `timeout`\?/),
      expect.stringMatching(/unknown option `skp` on a `python` example; did you mean `skip`\?/),
      expect.stringMatching(/unknown option `ellipses` on a `python` example; did you mean `ellipsis`\?/),
    ]);
  });
});

describe('renderer syntax is kept, not run', () => {
  it('the first word (or first class) names the language; the rest are attributes', () => {
    expect(examples('renderer-syntax.md').map((e) => [e.line, e.lang, e.runner, e.attributes ?? []])).toEqual([
      [3, 'python', 'python', ['title=main.py', 'hl_lines=2 3', 'linenums=1']],
      [7, 'python', 'python', ['.annotate', '#snippet', 'key=value']],
      [11, 'python', 'python', ['{ .annotate }']],
      [15, 'python', 'python', ['.numberLines', 'startFrom=10']],
      [19, 'python', 'python', [':snippets/file.py']],
      [23, 'js', 'js', ['title=x.js', 'showLineNumbers', '{1,3-5}']],
      [27, 'rust', null, ['ignore', 'edition2021']],
      [31, 'rust', null, ['should_panic']],
      [47, 'sh', 'sh', []],
      [51, 'Python', 'python', ['hl_lines=1']],
    ]);
  });
});

describe('renderer includes', () => {
  it('a block whose code a renderer pulls from a file ({!file!}, --8<--) is listed as not run, with the reason', () => {
    expect(found('renderer-includes.md')).toEqual([]);
    expect(examples('renderer-includes.md').map((e) => [e.line, e.runner, e.notRun])).toEqual([
      [3, null, expect.stringMatching(/renderer includes `\.\/docs_src\/app\.py\[ln:1-8\]` here.*`<!-- include \.\/docs_src\/app\.py lines=1-8 -->`/)],
      [9, null, expect.stringMatching(/renderer includes `snippets\/app\.py` here/)],
      [13, 'python', undefined],
    ]);
  });
});

describe('MyST directives', () => {
  it('an option of this tool on a directive fence, which never runs, is an error saying how to run the block', () => {
    expect(reasons('myst-options.md')).toEqual([
      expect.stringMatching(/^`claim=` on a MyST `\{doctest\}` directive binds nothing: this tool does not run MyST directives.*```pycon claim=sums.*`session=`/),
      expect.stringMatching(/^`timeout=` on a MyST `\{code-cell\}` directive binds nothing.*```python timeout=3/),
      expect.stringMatching(/^unknown option `clam` on a MyST `\{code-block\}` directive; did you mean `claim`\?/),
      expect.stringMatching(/^`skip` on a MyST `\{toctree\}` directive binds nothing/),
    ]);
  });

  it('a code directive is listed as not run; other directives are not examples', () => {
    expect(examples('myst-directives.md').map((e) => [e.line, e.lang, e.runner])).toEqual([[3, '{doctest}', null]]);
  });
});

describe('an unclosed fence in a container', () => {
  it('says it ends with its container, not that the rest of the note is code', () => {
    expect(reasons('unclosed-fence-in-quote.md')[0]).toMatch(/never closed, so it ends where its block quote or list item ends/);
  });
});

describe('languages', () => {
  it('known languages that do not run are listed as not run; near-misses of runners are errors', () => {
    expect(examples('languages.md').map((e) => [e.lang, e.runner])).toEqual([
      ['jsx', null], ['tsx', null], ['zsh', null], ['fish', null], ['bat', null], ['jq', null], ['python2', null], ['ipython', null], ['somethingnew', null],
    ]);
  });
});
