/** Reference-style links: what remark leaves as text is still found, what is code or escaped is not. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { buildLinkIndex, checkLinks } from '../../src/links/index.ts';

const root = mkdtempSync(path.join(tmpdir(), 'kb-links-refs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function check(markdown: string): string[] {
  const note = noteFromText(path.join(root, 'notes/n.md'), markdown, { root });
  return checkLinks(note, buildLinkIndex({ root, notes: [] })).map(formatDiagnostic);
}

describe('undefined references', () => {
  it.each([
    ['[*emphasis* inside][nope]', 1, 1],
    ['text ![alt][nope] text', 1, 6],
    ['| a | b |\n|---|---|\n| x | [cell][nope] |', 3, 7],
    ['> quoted [x][nope]', 1, 10],
    ['- item [x][nope]', 1, 8],
    ['[with `code`][nope]', 1, 1],
    ['two lines\nand [x][nope]', 2, 5],
    ['[collapsed][]', 1, 1],
  ])('%j is reported at %i:%i', (markdown, line, column) => {
    const [first, ...rest] = check(`${markdown}\n`);
    expect(rest).toEqual([]);
    expect(first).toMatch(new RegExp(`^notes/n\\.md:${line}:${column}: No definition for reference .*\\[undefined-reference\\]$`));
  });

  it.each([
    ['`[code][nope]`'],
    ['\\[escaped\\]\\[nope\\]'],
    ['[shortcut] and [ ] and [^footnote]'],
    ['```\n[fenced][nope]\n```'],
    ['<!-- [comment][nope] -->'],
    ['<span title="[html][nope]">x</span>'],
    ['[defined][Docs]\n\n[docs]: #defined'],
    ['[foo][bar][baz]\n\n[baz]: #x'],
  ])('%j reports no undefined reference', (markdown) => {
    expect(check(`${markdown}\n`).filter((line) => line.includes('undefined-reference'))).toEqual([]);
  });

  it('suggests a close definition', () => {
    expect(check('# X\n\n[a][asyncio-dok]\n\n[asyncio-doc]: #x\n')).toContain(
      'notes/n.md:3:1: No definition for reference `[asyncio-dok]` in `[a][asyncio-dok]`; did you mean `[asyncio-doc]` (line 5)? [undefined-reference]',
    );
  });
});

describe('definitions', () => {
  it('reports unused and repeated definitions at the definition', () => {
    expect(check('# X\n\n[a][used]\n\n[used]: #x\n[unused]: #x\n[USED]: #y\n\n## Y\n')).toEqual([
      'notes/n.md:7:1: Definition `[USED]` repeats the one on line 5 with another destination (`#x` there, `#y` here): GitHub and CommonMark use the first, mkdocs (Python-Markdown) the last; keep one, or give this one its own label [duplicate-definition]',
      'notes/n.md:6:1: Definition `[unused]` is never used [unused-definition]',
    ]);
  });

  it.each([
    ['the same destination', '[d]: #x\n[D]: #x\n', []],
    ['the same destination and title', '[d]: #x "T"\n[d]: #x "T"\n', []],
    ['another title', '[d]: #x "T"\n[d]: #x "U"\n', ['notes/n.md:6:1 another title']],
    ['another destination', '[d]: #x\n[d]: #y\n', ['notes/n.md:6:1 another destination (`#x` there, `#y` here)']],
  ])('a repeated definition with %s', (_, definitions, expected) => {
    const lines = check(`# X\n\n[a][d]\n\n${definitions}\n## Y\n`).filter((line) => line.includes('duplicate-definition'));
    expect(lines.map((line) => `${line.split(': ')[0]} ${/ with (.*): GitHub/.exec(line)?.[1]}`)).toEqual(expected);
  });

  it('checks the URL of a definition once, where it is defined', () => {
    expect(check('# X\n\n[a][d] and [b][d]\n\n[d]: #nope\n')).toEqual(['notes/n.md:5:1: No heading `#nope` in notes/n.md (this note) [missing-heading]']);
  });
});

describe('anchors in one note', () => {
  it('uses GitHub slugs for duplicates and raw HTML anchors; case matters', () => {
    const markdown = '# T\n\n## A b\n\n## A b\n\n<div id="Mixed"></div>\n\n[1](#a-b) [2](#a-b-1) [3](#Mixed) [4](#a-b-2) [5](#mixed) [6](#user-content-a-b)\n';
    expect(check(markdown)).toEqual([
      'notes/n.md:9:35: No heading `#a-b-2` in notes/n.md (this note); did you mean `#a-b-1` (line 5, `## A b`)? [missing-heading]',
      "notes/n.md:9:47: Fragment `#mixed` matches `#Mixed` in notes/n.md (this note) only when case is ignored; write `#Mixed` (line 7, `id=\"Mixed\"`): GitHub's page script forgives the case, other renderers do not [heading-case-mismatch]",
    ]);
  });
});
