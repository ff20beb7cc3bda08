/** What `checkToc` says about stale TOCs and broken regions, to the line and column. */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { checkToc, updateToc } from '../../src/toc/toc.ts';
import { cases, note } from './helpers.ts';

const seed = cases().find((c) => c.name === 'seed')?.input ?? '';
const lines = (text: string): string[] => checkToc(note(text, 'notes/a.md')).diagnostics.map(formatDiagnostic);

describe('entry diagnostics', () => {
  it('names the wrong, missing and extra entries and the headings they should point to', () => {
    const stale = seed
      .replace('- [Tasks](#tasks)', '- [Taks](#taks)')
      .replace('    - [Futures](#futures)\n', '')
      .replace('  - [Pitfalls](#pitfalls)\n', '  - [Pitfalls](#pitfalls)\n  - [Old](#old)\n');
    expect(lines(stale)).toEqual([
      'notes/a.md:10:7: TOC entry "Taks" points to #taks; the heading at line 79 is "Tasks" (#tasks) [toc-entry-wrong]',
      'notes/a.md:11:5: missing entry for "Futures" (line 94, #futures) [toc-entry-missing]',
      'notes/a.md:14:5: extra entry "Old" (#old): no heading has this anchor [toc-entry-extra]',
    ]);
  });

  it('reports a wrong text behind a right anchor, and a wrong nesting level', () => {
    const stale = seed.replace('- [Tasks](#tasks)', '- [tasks](#tasks)').replace('    - [Futures](#futures)', '  - [Futures](#futures)');
    expect(lines(stale)).toEqual([
      'notes/a.md:10:7: TOC entry "tasks" should read "Tasks"; the heading at line 79 is "Tasks" (#tasks) [toc-entry-wrong]',
      'notes/a.md:11:5: TOC entry "Futures" is nested at level 2; the heading at line 94 (depth 4) belongs at level 3 [toc-entry-level]',
    ]);
  });

  it('explains an entry pointing to a heading outside the depth range', () => {
    const text = '---\ntoc: {minDepth: 2, maxDepth: 4}\n---\n# Title\n\n## TOC\n\n- [TOC](#toc)\n- [Title](#title)\n';
    expect(lines(text)).toEqual(['notes/a.md:9:3: extra entry "Title" (#title): the heading at line 4 (depth 1) is outside the TOC depths 2-4 [toc-entry-extra]']);
  });

  it('accepts a TOC that only differs in formatting (bullets, escaping) as current', () => {
    const text = seed.replace('- [Table of content](#table-of-content)', '* [Table of content](#table-of-content)').replace('- [Tasks](#tasks)', '- [Tasks](<#tasks>)');
    expect(checkToc(note(text))).toMatchObject({ status: 'current', diagnostics: [], warnings: [] });
    expect(updateToc(note(text))).toMatchObject({ changed: false, text });
  });

  it('gives a unified diff of the region with the file line numbers', () => {
    const result = checkToc(note(seed.replace('- [Tasks](#tasks)', '- [Taks](#taks)'), 'notes/a.md'));
    expect(result.diff).toContain('@@ -8,5 +8,5 @@');
    expect(result.diff).toContain('\n-    - [Taks](#taks)\n+    - [Tasks](#tasks)\n');
  });
});

describe('region errors leave the text alone', () => {
  const table: Array<[string, string, string]> = [
    ['two start markers without end', '# T\n\n<!-- toc -->\n\n<!-- toc -->\n\n## A\n', 'notes/a.md:5:1: second <!-- toc --> before <!-- tocstop --> closes the one at line 3 [toc-marker-unclosed]'],
    ['a start marker after a region', '# T\n\n<!-- toc -->\n<!-- tocstop -->\n\n<!-- toc -->\n\n## A\n', 'notes/a.md:6:1: <!-- toc --> has no <!-- tocstop --> after it; add <!-- tocstop --> on a line of its own where the generated part ends [toc-marker-unclosed]'],
    ['end marker without start', '# T\n\n## A\n\n<!-- tocstop -->\n', 'notes/a.md:5:1: <!-- tocstop --> without a <!-- toc --> before it [toc-marker-unopened]'],
    [
      'two marker regions',
      '<!-- toc -->\n<!-- tocstop -->\n\n<!-- toc -->\n<!-- tocstop -->\n',
      'notes/a.md:4:1: second TOC region (the first starts at line 1); a note has at most one [toc-region-duplicate]',
    ],
    [
      'markers next to a TOC list under a heading',
      '## Contents\n\n- [A](#a)\n\n<!-- toc -->\n<!-- tocstop -->\n\n## A\n',
      'notes/a.md:3:1: a TOC list is already under the heading "Contents" at line 1, besides the markers at line 5; a note has at most one TOC: remove one of them [toc-region-duplicate]',
    ],
    [
      'doctoc markers and our markers',
      '<!-- START doctoc -->\n<!-- END doctoc -->\n\n<!-- toc -->\n<!-- tocstop -->\n',
      'notes/a.md:4:1: second TOC region (the first starts at line 1); a note has at most one [toc-region-duplicate]',
    ],
    ['two TOC headings', '## Contents\n\n## TOC\n', 'notes/a.md:3:1: second TOC heading "TOC" (the first is at line 1); a note has at most one TOC [toc-region-duplicate]'],
    [
      'unknown marker option',
      '<!-- toc depth=3 -->\n<!-- tocstop -->\n',
      'notes/a.md:1:10: unknown TOC option "depth" (known: min-depth=N, max-depth=N) [toc-option-unknown]',
    ],
    ['invalid marker option', '<!-- toc max-depth=9 -->\n<!-- tocstop -->\n', 'notes/a.md:1:10: TOC option max-depth must be a heading depth from 1 to 6, got "9" [toc-option-invalid]'],
    [
      'unknown front matter option',
      '---\ntoc:\n  maxdepth: 3\n---\n## TOC\n',
      'notes/a.md:3:3: unknown TOC option "toc.maxdepth" in front matter (known: minDepth, maxDepth) [toc-option-unknown]',
    ],
    ['min above max', '---\ntoc: {minDepth: 4, maxDepth: 2}\n---\n## TOC\n', 'notes/a.md:4:1: TOC min depth 4 is greater than max depth 2 [toc-option-invalid]'],
    [
      'TOC heading in a blockquote',
      '# T\n\n> ## Contents\n>\n> - [x](#x)\n',
      'notes/a.md:3:3: TOC heading "Contents" inside a blockquote is not supported; TOCs live at the top level [toc-unsupported]',
    ],
    [
      'marker in a list',
      '- item\n\n  <!-- toc -->\n  <!-- tocstop -->\n',
      'notes/a.md:3:3: <!-- toc --> inside a listItem is not supported; put the markers at the top level of the note [toc-unsupported]',
    ],
  ];
  it.each(table)('%s', (_name, text, message) => {
    const check = checkToc(note(text, 'notes/a.md'));
    expect(check.status).toBe('error');
    expect(check.diagnostics.map(formatDiagnostic)).toContain(message);
    expect(check.diagnostics.every((d) => d.fatal === true)).toBe(true);
    const update = updateToc(note(text, 'notes/a.md'));
    expect(update).toMatchObject({ changed: false, text });
  });

  it('does not record anything on the note vfile (the API is pure)', () => {
    const n = note('<!-- toc -->\n');
    checkToc(n);
    updateToc(n);
    expect(n.file.messages).toEqual([]);
  });

  it('ignores markers inside code and comments that are not markers', () => {
    const text = '# T\n\n```md\n<!-- toc -->\n```\n\n`<!-- tocstop -->`\n\n## A\n';
    expect(checkToc(note(text)).status).toBe('absent');
  });
});

describe('front matter options', () => {
  it.each([
    ['flow map (read without the YAML parser)', 'toc: {maxDepth: 2}'],
    ['flow map with both keys', 'toc: {minDepth: 2, maxDepth: 2}'],
    ['block map with a comment (YAML parser)', 'toc:  # options\n  maxDepth: 2'],
  ])('%s', (_name, yaml) => {
    const text = `---\ntitle: x\n${yaml}\n---\n# T\n\n## TOC\n\n## Next\n\n### Deep\n`;
    expect(updateToc(note(text)).text).toBe(`${text.replace('## TOC\n', '## TOC\n\n- [Next](#next)\n')}`);
  });
});
