/**
 * `kb report --json` plans each note as the run does: a language the configuration turns off for
 * a file, and `run: "marked"`, make examples "not run" with the reason (not "skipped"), and the
 * configured notes index (any file name) is checked in its note.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runKb } from '../../src/cli/main.ts';
import type { NoteReport, Report } from '../../src/report/schema.ts';

const fence = '```';
const FAILS_IF_RUN = `${fence}js\nthrow new Error('this block must not run')\n${fence}\n`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-report-settings-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

let code: number;
let report: Report;
let stderr = '';
const note = (file: string): NoteReport => report.notes.find((n) => n.path === file)!;

beforeAll(async () => {
  const root = project({
    'kb.config.json': JSON.stringify({
      notes: ['docs/**/*.md'],
      index: 'docs/contents.md',
      overrides: [
        { files: ['docs/off.md'], languages: { js: false } },
        { files: ['docs/marked.md'], run: 'marked' },
      ],
    }),
    'docs/off.md': `# Off\n\n${FAILS_IF_RUN}`,
    'docs/on.md': `# On\n\n${fence}js\nconsole.log('on')\n${fence}\n`,
    'docs/marked.md': `# Marked\n\n${FAILS_IF_RUN}\n${fence}js test\nconsole.log('marked')\n${fence}\n`,
    // Stale: it lists none of its folder's notes.
    'docs/contents.md': '# Contents\n\n<!-- index -->\n<!-- indexstop -->\n',
  });
  let stdout = '';
  code = await runKb(['report', '--json'], { cwd: root, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  report = JSON.parse(stdout) as Report;
}, 120_000);

describe('kb report --json with per-file settings', () => {
  it('a language turned off for the file: not run, saying which setting', () => {
    expect(note('docs/off.md').examples).toEqual([
      expect.objectContaining({ line: 3, lang: 'js', status: 'not-run', message: expect.stringMatching(/^not run: `js` fences do not run in this file \(configuration: "languages"/) }),
    ]);
    expect(note('docs/on.md').examples).toEqual([expect.objectContaining({ status: 'passed' })]);
  });

  it('run: "marked": the unmarked block is not run, saying so; the marked one runs', () => {
    expect(note('docs/marked.md').examples.map((e) => [e.line, e.status, e.message])).toEqual([
      [3, 'not-run', expect.stringMatching(/^not run: only blocks marked `test` run in this note \(the configuration's `run: "marked"`\)/)],
      [7, 'passed', undefined],
    ]);
  });

  it('counts them as not run, and nothing that did not run fails', () => {
    expect(report.totals.examples).toMatchObject({ total: 4, passed: 2, failed: 0, skipped: 0, notRun: 2 });
    expect(note('docs/off.md').failed).toBe(false);
    expect(note('docs/marked.md').failed).toBe(false);
  });

  it('the configured index, docs/contents.md, is checked in its note: stale, so the report fails', () => {
    expect(note('docs/contents.md').other).toContainEqual(
      expect.objectContaining({ kind: 'structural', name: 'notes index is current', status: 'failed', message: expect.stringContaining('the notes index is stale') }),
    );
    expect(code, stderr).toBe(1);
    expect(report.notes.filter((n) => n.failed).map((n) => n.path)).toEqual(['docs/contents.md']);
  });
});
