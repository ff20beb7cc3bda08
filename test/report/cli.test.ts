/** The report command's arguments and the pure parts of its summary. */
import { describe, expect, it } from 'vitest';
import { parseReportArgs, runReportCli, USAGE } from '../../src/report/cli.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import { unbackedSections } from '../../src/report/sections.ts';

describe('arguments', () => {
  it.each([
    [[], { root: '.', out: undefined, mergeReports: undefined, strict: false, quiet: false, help: false }],
    [['--root', 'kb', '--out=o', '--strict', '-q'], { root: 'kb', out: 'o', mergeReports: undefined, strict: true, quiet: true, help: false }],
    [['--root=kb'], { root: 'kb', out: undefined, mergeReports: undefined, strict: false, quiet: false, help: false }],
  ])('%j', (argv, expected) => {
    expect(parseReportArgs(argv)).toEqual(expected);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--out'], '--out needs a folder'],
    [['--root', '--strict'], '--root needs a folder'],
    [['notes/a.md'], 'unexpected argument notes/a.md'],
    [['--stric'], 'unknown option --stric (did you mean --strict?)'],
    [['--merge-report', 'dir'], 'unknown option --merge-report (did you mean --merge-reports?)'],
    [['--merge-reports'], '--merge-reports needs a folder'],
    [['--strict=yes'], '--strict takes no value'],
  ])('%j is an error', (argv, error) => {
    expect(parseReportArgs(argv)).toEqual({ error });
  });

  it('bad usage prints the error and the usage, exit status 2', async () => {
    const err: string[] = [];
    const code = await runReportCli(['--nope'], { cwd: '/', env: {}, stdout: () => {}, stderr: (t) => err.push(t) });
    expect(code).toBe(2);
    expect(err.join('\n')).toBe(`report: unknown option --nope\n\n${USAGE}`);
  });
});

describe('unbacked sections', () => {
  const plan = (text: string) => extractPlan(noteFromText('/kb/notes/a.md', text, { root: '/kb' }), { root: '/kb' });

  it('are the headings with no claim or example directly under them, title and TOC aside', () => {
    const text = [
      '# Title',
      '## Table of contents',
      '- [A](#a)',
      '## A',
      'Claim. <!-- claim c cite=https://x.y -->',
      '## B',
      'Prose only.',
      '### B.1',
      '```python',
      'pass',
      '```',
      '## C',
    ].join('\n\n');
    expect(unbackedSections(plan(text)).map((s) => [s.title, s.depth])).toEqual([['B', 2], ['C', 2]]);
  });

  it('a note whose first heading is not a title keeps it as a section', () => {
    expect(unbackedSections(plan('## Only\n\ntext\n')).map((s) => s.title)).toEqual(['Only']);
  });
});
