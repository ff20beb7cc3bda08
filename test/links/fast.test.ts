/**
 * The fast scanner must be exact or give up: wherever it does not give up,
 * the summary it leads to (links, definitions, references, anchors, lines)
 * equals the one from the full parse with the shared parser. Checked on the
 * fixtures, the bench corpus and generated documents full of edge cases.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.ts';
import { noteFromText, type Note } from '../../src/markdown/parse.ts';
import { fastNotes, type SourceFile } from '../../src/links/fast/resolve.ts';
import { scanBody } from '../../src/markdown/outline/index.ts';
import { summarizeNote } from '../../src/links/summary.ts';
import { fixtureRoot } from './helpers.ts';
import { randomDocuments } from './random-docs.ts';

const scratch = mkdtempSync(path.join(tmpdir(), 'kb-links-fast-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Compare fast and full summaries; returns how many notes the scanner handled. */
function compare(files: SourceFile[], root: string): { handled: number; total: number } {
  const fast: Note[] = [];
  const stats = { gaveUp: 0, safetyNet: 0 };
  for (let i = 0; i < files.length; i += 7) fast.push(...fastNotes(files.slice(i, i + 7), root, stats));
  // The safety net (a block that swallowed the next ones) must never be what makes it right.
  expect(stats.safetyNet).toBe(0);
  let handled = 0;
  files.forEach((file, i) => {
    if (scanBody(file.text.replace(/^\uFEFF/, ''))) handled++;
    const full = noteFromText(file.path, file.text, { root });
    expect(summarizeNote(fast[i]!), `${file.path}\n---\n${file.text}`).toEqual(summarizeNote(full));
  });
  return { handled, total: files.length };
}

function read(root: string, pattern: string): SourceFile[] {
  return globSync([pattern], { cwd: root, absolute: true })
    .sort()
    .map((file) => ({ path: file, text: readFileSync(file, 'utf8') }));
}

describe('fast scanner', () => {
  it('equals the full parse on the fixture knowledge base', () => {
    compare(read(fixtureRoot, 'notes/**/*.md'), fixtureRoot);
  });

  it('equals the full parse on the bench corpus, and handles nearly all of it', () => {
    const dir = path.join(scratch, 'corpus');
    generateCorpus({ dir, notes: 100, seed: 7 });
    const { handled, total } = compare(read(dir, 'notes/**/*.md'), dir);
    expect(handled / total).toBeGreaterThan(0.9);
  });

  it('equals the full parse on generated documents full of edge cases', () => {
    const docs = randomDocuments(600, 12345).map((text, i) => ({ path: path.join(scratch, `gen/${i}.md`), text }));
    const { handled, total } = compare(docs, scratch);
    // It must not get there by giving up on everything.
    expect(handled / total).toBeGreaterThan(0.2);
  });

  it.each([
    ['a tab', '# T\n\n\t[a](b.md)\n'],
    ['a definition', '# T\n\n[a][b]\n\n[b]: c.md\n'],
    ['indented code after a blank line', '- item\n\n    [a](b.md)\n'],
    ['a fence inside a list item', '- item\n  ```\n  [a](b.md)\n  ```\n'],
    ['an HTML block that may span blank lines', '<pre>\n\n[a](b.md)\n\n</pre>\n'],
    ['CR LF line endings', '# T\r\n\r\n[a](b.md)\r\n'],
    ['an unclosed front matter', '---\ntitle: x\n\n[a](b.md)\n'],
  ])('gives up on %s', (_, text) => {
    expect(scanBody(text)).toBeUndefined();
  });

  it('parses nothing for plain headings and simple links', () => {
    const scan = scanBody('---\ntitle: x\n---\n# Title\n\n## Plain heading\n\nSee [a](b.md#c) and ![i](i.png).\n\n```py\n[not](a-link.md)\n```\n\n- [item](x.md)\n');
    expect(scan?.pending).toEqual([]);
    expect(scan?.nodes.map((node) => [node.type, 'url' in node ? node.url : node.depth, node.position?.start.line, node.position?.start.column])).toEqual([
      ['heading', 1, 4, 1],
      ['heading', 2, 6, 1],
      ['link', 'b.md#c', 8, 5],
      ['image', 'i.png', 8, 21],
      ['link', 'x.md', 14, 3],
    ]);
  });
});
