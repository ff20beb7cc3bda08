/**
 * Others' docs are full of HTML comments. Only a comment written in this tool's
 * annotation syntax is read as an annotation (and its mistakes are errors);
 * a prose comment that merely starts with a keyword, or near one, is the author's.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';

const root = path.resolve('test/fixtures/adopt');
const problems = (comment: string) => {
  const text = `# T\n\nSorting is stable.\n\n${comment}\n\n\`\`\`python\nx = 1\n\`\`\`\n`;
  const plan = extractPlan(noteFromText(path.join(root, 'x.md'), text, { root }), { root });
  return plan.diagnostics.map((d) => d.ruleId);
};
const skipped = (comment: string) => {
  const text = `# T\n\n${comment}\n\n\`\`\`python\nx = 1\n\`\`\`\n`;
  const plan = extractPlan(noteFromText(path.join(root, 'x.md'), text, { root }), { root });
  return plan.items.some((i) => i.kind === 'example' && i.options.skip !== undefined);
};

describe('prose comments are the author\'s', () => {
  it.each([
    '<!-- Check this later -->',
    '<!-- check this later -->',
    '<!-- check this -->',
    '<!-- Check the numbers against the release notes -->',
    '<!-- skip this section for now -->',
    "<!-- skip don't run this yet -->",
    '<!-- Skip the intro -->',
    '<!-- include the diagram here -->',
    '<!-- include screenshots -->',
    '<!-- Include a screenshot -->',
    '<!-- setup instructions below -->',
    '<!-- Setup -->',
    '<!-- Teardown notes: nothing -->',
    '<!-- claim this is great -->',
    '<!-- Claims about speed need a benchmark -->',
    '<!-- TODO: check links -->',
  ])('%s is an ordinary comment', (comment) => {
    expect(problems(comment)).toEqual([]);
    expect(skipped(comment)).toBe(false);
  });
});

describe('annotation syntax is read, and its mistakes are errors', () => {
  it.each([
    ['<!-- skip strat -->', ['skip-range']],
    ['<!-- skip -->', ['skip-range']],
    ['<!-- skip next two examples -->', ['unknown-option', 'unknown-option']],
    ['<!-- skip next reasn="x" -->', ['unknown-option']],
    ['<!-- skp start -->', ['misspelled-annotation']],
    ['<!-- Skip next -->', ['misspelled-annotation']],
    ['<!-- Claim stable cite=https://example.org/a -->', ['misspelled-annotation']],
    ['<!-- clam stable -->', ['misspelled-annotation']],
    ['<!-- inclde example.py -->', ['misspelled-annotation']],
    ['<!-- Check stable timeout=2 -->', ['misspelled-annotation']],
    ['<!-- setpu\nx = 1\n-->', ['misspelled-annotation']],
    ['<!-- setup\n-->', ['annotation-missing-code']],
    ['<!-- setup foo=1\nx = 1\n-->', ['unknown-option']],
    ['<!-- include -->', ['annotation-missing-argument']],
    ['<!-- claim stable cite="https://example.org -->', ['malformed-annotation']],
    ['<!-- check -->', ['annotation-missing-argument']],
    ['<!-- claim stable tmeout=2 -->', ['unknown-option']],
  ])('%j → %j', (comment, expected) => {
    expect(problems(comment)).toEqual(expected);
  });

  it.each(['<!-- skip next -->', '<!-- skip: next -->', '<!-- skip next reason="needs a server" -->'])('%s skips the next example', (comment) => {
    expect(skipped(comment)).toBe(true);
  });
});
