/** The report command's arguments and the pure parts of its summary. */
import { describe, expect, it } from 'vitest';
import { runReportCli, USAGE } from '../../src/report/cli.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import { unbackedSections } from '../../src/report/sections.ts';

async function report(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runReportCli(argv, { cwd: '/', env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('arguments', () => {
  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--out'], '--out needs a folder'],
    [['--root', '--strict'], '--root needs a folder'],
    [['--stric'], 'unknown option --stric (did you mean --strict?)'],
    [['--merge-report', 'dir'], 'unknown option --merge-report (did you mean --merge-reports?)'],
    [['--merge-reports'], '--merge-reports needs a folder'],
    [['--strict=yes'], '--strict takes no value'],
    [['--root', '/no/such/folder'], '--root /no/such/folder: no such folder'],
  ])('%j is bad usage: one line, exit status 2', async (argv, error) => {
    const result = await report(argv);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `report: ${error}; \`kb report --help\` lists the options\n` });
  });

  it('--help prints the usage, exit status 0', async () => {
    expect(await report(['--help'])).toEqual({ code: 0, stdout: `${USAGE}\n`, stderr: '' });
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
