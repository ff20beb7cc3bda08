/**
 * Links read as an mkdocs site renders them: the bodies of admonitions, tabs and
 * definition-list definitions are Markdown (not the indented code CommonMark
 * sees), so their links, definitions, references and headings count, and their
 * problems are reported at their own lines and columns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { buildLinkIndex, checkLinks } from '../../src/links/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { loadSummaries } from '../../src/links/load.ts';
import { writeFileSync, mkdirSync } from 'node:fs';

const root = mkdtempSync(path.join(tmpdir(), 'kb-links-containers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function check(markdown: string): string[] {
  const note = noteFromText(path.join(root, 'notes/n.md'), markdown, { root });
  return checkLinks(note, buildLinkIndex({ root, notes: [] })).map(formatDiagnostic);
}

const md = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('definitions and references across containers', () => {
  it.each([
    ['a definition used only inside a tab', md('# T', '', '=== "One"', '', '    See [docs].', '', '[docs]: #t')],
    ['an image reference inside a tab', md('# T', '', '=== "One"', '', '    [![shot]][shot]', '', '  [shot]: #t')],
    ['a definition inside an admonition used outside', md('# T', '', 'See [docs][d].', '', '!!! note', '', '    [d]: #t')],
    ['a reference and its definition in two tabs', md('# T', '', '=== "A"', '', '    [x][d]', '', '=== "B"', '', '    [d]: #t')],
    ['a use in a quoted admonition', md('# T', '', '> !!! tip', '>', '>     Read [docs].', '', '[docs]: #t')],
    ['a use in a definition list definition', md('# T', '', 'Term', '', ':   Read [docs],', '    and [more][docs].', '', '[docs]: #t')],
    ['a use followed by a colon', md('# T', '', '!!! note', '', '    use an [env var]:', '', '[env var]: #t')],
    ['a use in a site macro comment', md('# T', '', '<!-- md:default [`x`][docs] -->', '', '[docs]: #t')],
    ['a use in markdown HTML', md('# T', '', '<figcaption markdown>On [docs]</figcaption>', '', '[docs]: #t')],
    ['a use in a tab inside an admonition in a list', md('# T', '', '- item', '', '    !!! note', '', '        === "A"', '', '            [docs]', '', '[docs]: #t')],
  ])('%s: no unused definition', (_, markdown) => {
    expect(check(markdown)).toEqual([]);
  });

  it.each([
    ['a definition nobody uses, inside a tab', md('# T', '', '=== "A"', '', '    text', '', '    [d]: #t'), ['notes/n.md:7:5: Definition `[d]` is never used [unused-definition]']],
    ['an undefined reference inside an admonition', md('# T', '', '!!! note', '', '    see [x][nope]'), ['notes/n.md:5:9: No definition for reference `[nope]` in `[x][nope]` [undefined-reference]']],
    ['a use only in an ordinary HTML block', md('# T', '', '<p>see [docs]</p>', '', '[docs]: #t'), ['notes/n.md:5:1: Definition `[docs]` is never used [unused-definition]']],
    ['a "definition" inside a ```markdown example', md('# T', '', '```markdown', '!!! note', '', '    [d]: #nope', '```'), []],
    ['a lone [x] in prose with no definition', md('# T', '', '!!! note', '', '    a [x] in prose'), []],
  ])('%s', (_, markdown, expected) => {
    expect(check(markdown)).toEqual(expected);
  });
});

describe('links, anchors and headings inside containers', () => {
  it('reports a broken link inside a tab in an admonition at its own line and column', () => {
    expect(check(md('# T', '', '!!! note', '', '    === "A"', '', '        [x](#nope) [y](#t)'))).toEqual(['notes/n.md:7:9: No heading `#nope` in notes/n.md (this note) [missing-heading]']);
  });

  it('a quoted admonition: the column counts the quote markers', () => {
    expect(check(md('# T', '', '> !!! note', '>', '>     [x](#nope)'))).toEqual(['notes/n.md:5:7: No heading `#nope` in notes/n.md (this note) [missing-heading]']);
  });

  it('headings and HTML anchors inside containers are anchors', () => {
    expect(check(md('# T', '', '!!! note', '', '    ## Inner', '', '    <a id="here"></a>', '', '[a](#inner) [b](#here)'))).toEqual([]);
  });

  it('a link once: the note parse of a header paragraph that runs into the body is not read twice', () => {
    expect(check(md('# T', '', '!!! note', '    [x](#nope)'))).toEqual(['notes/n.md:4:5: No heading `#nope` in notes/n.md (this note) [missing-heading]']);
  });

  it('the fast loader gives the same summary as the full parse on a note with containers', () => {
    mkdirSync(path.join(root, 'fast'), { recursive: true });
    const file = path.join(root, 'fast/c.md');
    writeFileSync(file, md('# T', '', '=== "A"', '', '    [x][d] [y](#nope)', '', '[d]: #t'));
    const [fast] = loadSummaries([file], { root, fast: true });
    const [full] = loadSummaries([file], { root, fast: false });
    expect(fast).toEqual(full);
    expect(full!.usedIdentifiers).toEqual(['d']);
  });
});

describe('ids a site gives code blocks', () => {
  it.each([
    ['``` { .sh .no-copy #example }', '#example', []],
    ['```{.python #listing-1 startFrom="3"}', '#listing-1', []],
    ['```python', '#example', ['notes/n.md:7:1: No heading `#example` in notes/n.md (this note) [missing-heading]']],
  ])('%s: a link to %s', (open, target, expected) => {
    expect(check(md('# T', '', open, 'x', '```', '', `[see](${target})`))).toEqual(expected);
  });
});
