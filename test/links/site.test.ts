/**
 * Links as a static site (mkdocs) resolves them, when the configuration names
 * a `siteRoot`: root-relative links start there, directory URLs (`install/`)
 * reach `install.md` or `install/index.md` and are read from the page's URL,
 * `{ #id }` heading attributes are anchors, and undefined references that
 * look like mkdocs autorefs are excused unless `links.autorefs` checks them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { buildLinkIndex, checkLinks } from '../../src/links/index.ts';
import { noteFromText, readNote } from '../../src/markdown/parse.ts';
import { here } from './helpers.ts';

const root = path.join(here, 'fixtures/site');
const notes = ['docs/index.md', 'docs/guide/setup.md', 'docs/guide/install/index.md', 'docs/api/reference.md'];

function check(options: { siteRoot?: string; autorefs?: boolean; fast?: boolean }): string[] {
  const index = buildLinkIndex({ root, notes, ...options });
  return notes.flatMap((rel) => checkLinks(readNote(rel, { root }), index).map(formatDiagnostic)).sort();
}

describe('links on a site (siteRoot set)', () => {
  for (const fast of [true, false]) {
    it(`reports only the links the site breaks (${fast ? 'fast scanner' : 'full parse'})`, () => {
      expect(check({ siteRoot: 'docs', fast })).toEqual([
        'docs/guide/setup.md:15:47: No file `../assets/logo.gif` (docs/guide/assets/logo.gif); did you mean `../../assets/logo.gif`? [missing-file]',
        'docs/guide/setup.md:16:60: No file `../../outside.md` (outside.md) [missing-file]',
        'docs/guide/setup.md:6:55: No page at `../`: folder docs/guide has no index.md, and the site serves a folder by its index.md [missing-file]',
        'docs/index.md:11:76: No heading `#getting-started` in docs/index.md (this note) [missing-heading]',
        'docs/index.md:13:31: No folder `/guide/missing/` (docs/guide/missing) [missing-file]',
        'docs/index.md:13:62: No folder `guide/nothing/` (docs/guide/nothing) [missing-file]',
        'docs/index.md:16:32: No definition for reference `[dcos]` in `[the docs][dcos]` [undefined-reference]',
        'docs/index.md:18:1: Definition `[docs]` is never used [unused-definition]',
      ]);
    });
  }

  it('with links.autorefs on, autorefs are checked against every anchor and mkdocstrings object', () => {
    const found = check({ siteRoot: 'docs', autorefs: true });
    expect(found.filter((line) => /autoref|reference/.test(line))).toEqual([
      'docs/index.md:16:32: No definition for reference `[dcos]` in `[the docs][dcos]` [undefined-reference]',
    ]);
  });

  it('a misspelt autoref is reported when autorefs are checked, and excused when they are not', () => {
    const index = buildLinkIndex({ root, notes, siteRoot: 'docs', autorefs: true });
    const note = readNote('docs/api/reference.md', { root });
    const text = `${String(note.file.value)}\nSee [the client][pkg.Clinet].\n`;
    const withTypo = readNoteFromText(note.relPath, text);
    expect(checkLinks(withTypo, index).map(formatDiagnostic)).toEqual([
      'docs/api/reference.md:5:5: Autoref `[pkg.Clinet]` in `[the client][pkg.Clinet]` names no heading anchor and no mkdocstrings `::: pkg.Clinet` in any note [undefined-autoref]',
    ]);
    const lenient = buildLinkIndex({ root, notes, siteRoot: 'docs' });
    expect(checkLinks(readNoteFromText(note.relPath, text), lenient)).toEqual([]);
  });

  it('without a siteRoot, root-relative links start at the repository root and directory URLs are folders', () => {
    const found = check({});
    // What the checker said before it knew sites: every one of these is a misreading on an mkdocs site.
    expect(found.filter((line) => line.includes('[missing-file]')).map((line) => line.replace(/:.*?: /, ': '))).toEqual([
      'docs/guide/setup.md: No file `../../assets/logo.gif` (assets/logo.gif) [missing-file]',
      'docs/guide/setup.md: No file `../../outside.md` (outside.md) [missing-file]',
      'docs/guide/setup.md: No folder `../install/` (docs/install); did you mean `install`? [missing-file]',
      'docs/index.md: No folder `/guide/missing/` (guide/missing) [missing-file]',
      'docs/index.md: No folder `guide/nothing/` (docs/guide/nothing) [missing-file]',
      'docs/index.md: No file `/guide/install/index.md` (guide/install/index.md) [missing-file]',
      'docs/index.md: No folder `/guide/install/` (guide/install) [missing-file]',
      'docs/index.md: No folder `/guide/setup/` (guide/setup) [missing-file]',
      'docs/index.md: No file `/index.md` (index.md) [missing-file]',
      'docs/index.md: No folder `guide/setup/` (docs/guide/setup); did you mean `guide/setup.md`? [missing-file]',
      'docs/index.md: No file `guide/setup` (docs/guide/setup); did you mean `guide/setup.md`? [missing-file]',
    ]);
  });
});

function readNoteFromText(relPath: string, text: string) {
  return noteFromText(path.join(root, relPath), text, { root });
}

describe('autorefs outside a site', () => {
  it('without a siteRoot or links.autorefs, an undefined `[x][a.b]` is still an undefined reference', () => {
    const index = buildLinkIndex({ root, notes });
    const note = noteFromText(path.join(root, 'docs/api/reference.md'), '# Reference\n\n::: pkg.Client\n\nSee [the client][pkg.Client].\n', { root });
    expect(checkLinks(note, index).map(formatDiagnostic)).toEqual([
      'docs/api/reference.md:5:5: No definition for reference `[pkg.Client]` in `[the client][pkg.Client]` [undefined-reference]',
    ]);
  });
});
