/**
 * The CLI's fast path for notes with a TOC (src/toc/fast-note.ts) must give
 * exactly what the full parse gives: checkToc's status, diagnostics (rule,
 * line, column, message), warnings and diff, and updateToc's bytes. Checked on
 * every Markdown file of test/fixtures, on generated corpora of several seeds,
 * and on generated notes (fast-check). A note the fast path gives up on is
 * allowed (it is parsed fully); the corpus checks it rarely gives up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { generateCorpus } from '../../bench/corpus.ts';
import { scanNotes } from '../../src/markdown/outline/index.ts';
import type { Note } from '../../src/markdown/parse.ts';
import { fastTocNotes } from '../../src/toc/fast-note.ts';
import { checkToc, updateToc } from '../../src/toc/toc.ts';
import { FIXTURES, note, REPO, tempDir, VARIANTS } from './helpers.ts';

const plainMessages = (messages: readonly VFileMessage[]) => messages.map((m) => ({ rule: m.ruleId, line: m.line, column: m.column, message: m.reason, fatal: m.fatal }));

function outcome(n: Note) {
  const check = checkToc(n);
  const update = updateToc(n);
  return {
    status: check.status,
    diagnostics: plainMessages(check.diagnostics),
    warnings: plainMessages(check.warnings),
    diff: check.diff,
    expected: check.expected,
    update: { status: update.status, changed: update.changed, text: update.text, diagnostics: plainMessages(update.diagnostics), warnings: plainMessages(update.warnings) },
  };
}

/** Per text: true when the fast path took it and agreed (a disagreement fails the test), false when it gave up. */
function compare(texts: readonly string[]): boolean[] {
  const file = path.join(REPO, 'notes/x.md');
  const fast = fastTocNotes(scanNotes(texts.map((text) => ({ path: file, text })), { root: REPO, summary: true }));
  return texts.map((text, index) => {
    const quick = fast[index];
    if (!quick) return false;
    expect(outcome(quick), text).toEqual(outcome(note(text)));
    return true;
  });
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return markdownFiles(full);
    return name.endsWith('.md') ? [full] : [];
  });
}

const WORDS = ['alpha', 'Beta', 'gamma', 'delta', 'Contents', 'TOC', 'x', '2', 'Q&A'];
const word = fc.constantFrom(...WORDS);
const inline = fc.oneof(
  { weight: 6, arbitrary: word },
  { weight: 1, arbitrary: word.map((w) => `\`${w}()\``) },
  { weight: 1, arbitrary: word.map((w) => `*${w}*`) },
  { weight: 1, arbitrary: word.map((w) => `**${w}**`) },
  { weight: 1, arbitrary: fc.constantFrom('`a`b`', 'snake_case', '\\*star', '&amp;', '<b>', '[link](#x)', '~~gone~~', '{ #custom }') },
);
const text = fc.array(inline, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
const anchor = fc.array(fc.constantFrom('alpha', 'beta', 'gamma', 'contents', 'x', 'old'), { minLength: 1, maxLength: 2 }).map((w) => w.join('-'));
const heading = fc.tuple(fc.integer({ min: 1, max: 4 }), text, fc.boolean()).map(([depth, t, setext]) => (setext && depth <= 2 ? [t, depth === 1 ? '===' : '---'] : [`${'#'.repeat(depth)} ${t}`]));
const tocHeading = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.constantFrom('Contents', 'Table of Contents', 'TOC', 'table of content')).map(([d, t]) => [`${'#'.repeat(d)} ${t}`]);
const bullet = fc.constantFrom('-', '*', '+', '1.', '2.', '1)');
const item = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(text, anchor).map(([t, a]) => `[${t}](#${a})`) },
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: text.map((t) => `[${t}](other.md)`) },
  { weight: 1, arbitrary: fc.tuple(text, anchor).map(([t, a]) => `[${t}](#${a}) and more`) },
);
const list = fc
  .tuple(bullet, fc.constantFrom(2, 3, 4), fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), item, fc.boolean()), { minLength: 1, maxLength: 6 }), fc.boolean())
  .map(([marker, width, items, loose]) => items.flatMap(([level, t, blankAfter]) => [`${' '.repeat(level * width)}${marker} ${t}`, ...(loose && blankAfter ? [''] : [])]));
const block = fc.oneof(
  { weight: 8, arbitrary: heading },
  { weight: 5, arbitrary: text.map((t) => [t]) },
  { weight: 5, arbitrary: list },
  { weight: 2, arbitrary: tocHeading },
  { weight: 1, arbitrary: fc.constant(['```md', '## Not a heading', '```']) },
  { weight: 1, arbitrary: fc.constantFrom(['<!-- toc -->'], ['<!-- tocstop -->'], ['<!-- toc -->', '<!-- tocstop -->'], ['<!-- toc max-depth=2 -->'], ['<!-- START doctoc -->'], ['<!-- END doctoc -->']) },
  { weight: 1, arbitrary: fc.constant(['---', 'toc: {maxDepth: 2}', '---']) },
);
const document = fc
  .tuple(fc.array(fc.tuple(block, fc.integer({ min: 0, max: 2 })), { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.boolean())
  .map(([blocks, eol, bom, finalNewline]) => `${bom ? '\uFEFF' : ''}${blocks.flatMap(([lines, blanks]) => [...lines, ...Array.from({ length: blanks }, () => '')]).join(eol)}${finalNewline ? eol : ''}`);

describe('TOC fast path (outline with the region filled) agrees with the full parse', () => {
  it('on every Markdown file of test/fixtures and test/toc/fixtures, in four line-ending and BOM variants', () => {
    const files = ['test/fixtures', 'test/toc/fixtures'].flatMap((dir) => markdownFiles(path.join(REPO, dir)));
    expect(files.length).toBeGreaterThan(80);
    const texts = files.flatMap((file) => VARIANTS.map((v) => v.apply(readFileSync(file, 'utf8'))));
    const taken = compare(texts).filter(Boolean).length;
    expect(taken).toBeGreaterThan(0);
  });

  it('an indented code block under a TOC heading: the warning points where the parser puts it (column 1)', () => {
    const text = '## Contents\n    - [alpha](#alpha)\n- [alpha](#alpha)\n';
    compare([text]);
    expect(outcome(note(text)).warnings[0]).toMatchObject({ rule: 'toc-section-not-generated', line: 2, column: 1 });
  });

  it('on generated corpora (four seeds), where it rarely gives up', () => {
    for (const seed of [1, 2, 3, 4]) {
      const corpus = generateCorpus({ dir: tempDir(), notes: 100, seed, staleFraction: 0.3 });
      const texts = corpus.files.map((file) => readFileSync(path.join(corpus.notesDir, file), 'utf8'));
      const taken = compare(texts);
      expect(taken.filter((t) => !t).length).toBeLessThan(texts.length / 10);
    }
  });

  it('on generated notes (fast-check)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.array(document, { minLength: 1, maxLength: 4 }), (texts) => {
        taken += compare(texts).filter(Boolean).length;
      }),
      { numRuns: 400 },
    );
    expect(taken).toBeGreaterThan(100);
  });
});
