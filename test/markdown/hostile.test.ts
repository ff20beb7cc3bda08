/**
 * Markdown nobody wrote for this tool: deep nesting, odd line endings and
 * characters. Every case must parse without an exception, keep the rest of
 * the note working, and put positions where an editor shows them.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText, parseMarkdown } from '../../src/markdown/parse.ts';
import { MAX_NESTING } from '../../src/markdown/nesting.ts';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { scanBody, scanOutline, splitLines } from '../../src/markdown/outline/index.ts';
import { fastEqualsFull, ROOT } from './oracle.ts';

const note = (text: string) => noteFromText(path.join(ROOT, 'notes/x.md'), text, { root: ROOT });
const slugs = (text: string) => headingAnchors(note(text).tree).map((h) => `${h.slug}@${h.line}:${h.column}`);

describe('nesting past the limit', () => {
  it.each([
    ['ordered items on one line', '1. '.repeat(3000)],
    ['quotes on one line', '>'.repeat(3000)],
    ['bullets on one line', '- '.repeat(3000)],
    ['mixed containers on one line', '> 1. - '.repeat(1000)],
  ])('%s: one positioned problem, and the headings after it still count', (_, prefix) => {
    const n = note(`# Top\n\n${prefix}deep\n\n## After\n`);
    expect(n.file.messages.map(formatDiagnostic)).toEqual([expect.stringMatching(/^notes\/x\.md:3:\d+: lists, quotes or emphasis nested more than 100 levels deep.*\[nesting-too-deep\]$/)]);
    expect(n.file.messages[0]!.column).toBeGreaterThan(MAX_NESTING);
    expect(headingAnchors(n.tree).map((h) => [h.slug, h.line])).toEqual([['top', 1], ['after', 5]]);
  });

  it('nesting built by indentation over many lines is cut at the limit too', () => {
    // micromark's time grows with the cube of this kind of nesting, so 150 levels, not thousands.
    const lines = Array.from({ length: 150 }, (_, i) => `${'  '.repeat(i)}- level ${i}`);
    const n = note(`# Top\n\n${lines.join('\n')}\n\n# After\n`);
    expect(n.file.messages.map((m) => [m.ruleId, m.line])).toEqual([['nesting-too-deep', 3 + MAX_NESTING]]);
    expect(headingAnchors(n.tree).map((h) => h.slug)).toEqual(['top', 'after']);
  });

  it('exactly the limit is fine', () => {
    expect(note(`${'> '.repeat(MAX_NESTING)}x\n`).file.messages).toEqual([]);
    expect(note(`${'> '.repeat(MAX_NESTING + 1)}x\n`).file.messages.map((m) => m.ruleId)).toEqual(['nesting-too-deep']);
  });

  it('keeps every offset: the text after a truncated line is where it was', () => {
    const text = `${'> '.repeat(500)}x\n\n[a](#b)\n`;
    const link = parseMarkdown(text).children.at(-1)!;
    expect(link.position?.start).toEqual({ line: 3, column: 1, offset: text.indexOf('[a]') });
  });

  it('leaves fenced code alone: markers there are code', () => {
    const code = '> '.repeat(300);
    const n = note(`\`\`\`\n${code}\n\`\`\`\n`);
    expect(n.file.messages).toEqual([]);
    expect(n.tree.children[0]).toMatchObject({ type: 'code', value: code });
  });

  it('a thematic break of many dashes is not nesting', () => {
    expect(note(`${'- '.repeat(300)}\n`).file.messages).toEqual([]);
  });

  it('the fast scanners leave deep lines to the full parse', () => {
    const text = `# T\n\n${'1. '.repeat(3000)}x\n`;
    expect(scanBody(text)).toBeUndefined();
    expect(scanOutline(text)).toBeUndefined();
  });
});

describe('line endings and odd characters', () => {
  it('splits lines as CommonMark does: LF, CR LF and CR; U+2028 and U+2029 are not line breaks', () => {
    expect(splitLines('a\nb\r\nc\rd\u2028e\u2029f\r').map((l) => [l.text, l.number])).toEqual([['a', 1], ['b', 2], ['c', 3], ['d\u2028e\u2029f', 4], ['', 5]]);
  });

  it('CR-only line endings: headings and their places as the full parse and an editor see them', () => {
    const text = '# A\r\rText [b](#a)\r\r## B\r';
    expect(slugs(text)).toEqual(['a@1:1', 'b@5:1']);
    fastEqualsFull(text);
  });

  it('mixed line endings', () => {
    const text = '# A\r\n\r## B\n\r\n- [x](#a)\r- [y](#b)\n';
    expect(slugs(text)).toEqual(['a@1:1', 'b@3:1']);
    fastEqualsFull(text);
  });

  it.each([
    ['U+2028 in a list item', '# T\n\n- item\u2028more [a](#t)\n'],
    ['U+2029 in a list item', '# T\n\n1. item\u2029 [a](#t)\n'],
    ['U+2028 in a fence info string', '# T\n\n```py\u2028x\ncode\n```\n\n[a](#t)\n'],
    ['U+2028 in a heading', '# T\u2028x\n\nsee [a](#tx)\n'],
    ['a NUL', '# A\0b\n\n[x](#a)\n'],
    ['a setext heading over CR-only lines (found by the fuzz test: its text keeps the CR)', 'seven\r&amp; x\n---'],
    ['a NUL ending the title (found by the fuzz test: the parser reads it as U+FFFD)', '# Title\0'],
    ['a lone surrogate', '# A\uD800b\n\n- [x](#ab)\n'],
    ['a BOM, then a CR-only body', '\uFEFF# A\r\r- [x](#a)\r'],
    ['a BOM in the middle', '# A\uFEFFb\n\n[x](#ab)\n'],
    ['a form feed', '# A\fb\n\n- [x](#a)\n'],
  ])('%s: no exception, fast scan equals full parse', (_, text) => {
    fastEqualsFull(text);
  });

  it('a 100,000-character line: the scanners answer; a 10,000-character one equals the full parse', () => {
    const long = `# T\n\n${'word [a](#t) '.repeat(100_000 / 12)}\u2028\r`;
    expect(long.length).toBeGreaterThan(100_000);
    expect(scanOutline(long)?.children.length).toBe(2);
    expect(() => scanBody(long)).not.toThrow();
    fastEqualsFull(long.slice(0, 10_000));
  });

  it('a 5 MB note through the fast scanners (the full parse of 5 MB takes minutes: `npm run fuzz` does it)', () => {
    const big = `# Big\n\n${'Some prose with a [link](#big).\n\n- item\r\n\n## H\u2028x\r'.repeat(5_000_000 / 48)}`;
    expect(big.length).toBeGreaterThan(4_900_000);
    expect(scanOutline(big)?.children.length).toBeGreaterThan(100_000);
    expect(() => scanBody(big)).not.toThrow();
  });
});
