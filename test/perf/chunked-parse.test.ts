/**
 * A large note parsed in pieces (src/markdown/chunked.ts) gives exactly the tree of the whole
 * note, positions included, whatever stands around the cuts: code fences and HTML comments
 * holding heading lines, lists and quotes before a heading, references to definitions in another
 * piece, footnotes, front matter, CRLF. Tiny pieces force a cut at every heading that allows one.
 */
import fc from 'fast-check';
import { fromMarkdown } from 'mdast-util-from-markdown';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { parseInPieces, type PieceOutcome } from '../../src/markdown/chunked.ts';
import { parseMarkdown } from '../../src/markdown/parse.ts';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']).freeze();
const flat = <T>(list: unknown): T[] => ((list ?? []) as unknown[]).flat(Infinity as 1) as T[];
const extensions = flat<never>(processor.data('micromarkExtensions'));
const mdastExtensions = flat<{ transforms?: unknown }>(processor.data('fromMarkdownExtensions')).map(({ transforms: _, ...rest }) => rest) as never[];
const parse = (text: string) => fromMarkdown(text, { extensions, mdastExtensions });

function pieces(text: string, chunkBytes = 1): { tree: unknown; outcome?: PieceOutcome } {
  let outcome: PieceOutcome | undefined;
  const tree = parseInPieces(text, parse, { chunkBytes, outcome: (o) => (outcome = o) });
  return { tree: JSON.parse(JSON.stringify(tree)), ...(outcome ? { outcome } : {}) };
}
const whole = (text: string) => JSON.parse(JSON.stringify(parse(text)));

const cases: [string, string, PieceOutcome['how']][] = [
  ['plain sections', '# A\n\ntext [x](#b)\n\n## B\n\nmore\n\n## C\n\n- a\n- b\n', 'pieces'],
  ['a heading line inside a fence is code', '# A\n\n```sh\n\n# not a heading\n```\n\n## B\n\ntext\n', 'pieces'],
  ['a heading line inside an HTML comment is the comment', '# A\n\n<!-- setup\n\n# a Python comment\nx = 1\n-->\n\n## B\n', 'pieces'],
  ['a reference to a definition in a later piece', '# A\n\nSee [the docs][ref] and [ref].\n\n## B\n\n[ref]: https://example.org\n', 'pieces'],
  ['a footnote defined in another piece', '# A\n\nText[^1].\n\n## B\n\n[^1]: The note.\n', 'pieces'],
  ['a definition only in code looks like one but is not', '# A\n\n[fake][x]\n\n## B\n\n```\n[x]: /url\n```\n', 'pieces'],
  ['a definition inside a quote and a list item', '# A\n\n[q] and [l]\n\n## B\n\n> [q]: /q\n\n- [l]: /l\n', 'pieces'],
  ['front matter with a heading-like line', '---\ntitle: x\n# not: a heading\n---\n\n# A\n\ntext\n\n## B\n', 'pieces'],
  ['CRLF line endings', '# A\r\n\r\ntext\r\n\r\n## B\r\n\r\n- a\r\n- b\r\n\r\n## C\r\n', 'pieces'],
  ['a loose list right before a heading', '# A\n\n- a\n\n- b\n\n## B\n\n1. x\n2. y\n\n## C\n', 'pieces'],
  ['an unclosed fence swallows the rest', '# A\n\n```\ncode\n\n## B\n\ntext\n', 'whole'],
  // The line scan takes the list item's fence for a top-level one and cuts where it should not: the check catches it.
  ['a fence opened in a list item, then a fence at the top', '# A\n\n- item\n\n  ```\n  code\n\n# B\n  ```\n\n## C\n', 'whole'],
  ['a table, a quote and setext headings', '# A\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n> quote\n\nSetext\n======\n\n## B\n\nx\n', 'pieces'],
];

describe('a note in pieces parses to the tree of the whole note', () => {
  it.each(cases)('%s', (_name, text, how) => {
    const result = pieces(text);
    expect(result.tree).toEqual(whole(text));
    expect(result.outcome?.how).toBe(how);
  });

  it('a small note is parsed whole', () => {
    expect(pieces('# A\n\n## B\n', 1000).outcome).toEqual({ how: 'whole', why: 'small' });
  });

  it('labels the scan took from code are corrected by a second pass', () => {
    const text = '# A\n\n[fake][x]\n\n## B\n\n    [x]: /url in indented code\n';
    expect(pieces(text).tree).toEqual(whole(text));
    expect(pieces(text).outcome).toEqual({ how: 'pieces', pieces: 2, attempts: 2 });
  });

  it('the parser of the engine cuts a large note and gives the same tree as one parse', () => {
    const section = (n: number) => `## Section ${n}\n\nSome *text* with [a link](#section-${n + 1}) and [a ref][r${n % 3}].\n\n- one\n- two\n\n\`\`\`python\n# comment\nx = ${n}\n\`\`\`\n\n`;
    const text = `# Big\n\n${Array.from({ length: 1200 }, (_, n) => section(n)).join('')}[r0]: /0\n[r1]: /1\n[r2]: /2\n`;
    expect(text.length).toBeGreaterThan(100_000);
    let outcome: PieceOutcome | undefined;
    parseInPieces(text, parse, { outcome: (o) => (outcome = o) });
    expect(outcome).toMatchObject({ how: 'pieces', attempts: 1 });
    expect(JSON.parse(JSON.stringify(parseMarkdown(text)))).toEqual(JSON.parse(JSON.stringify(processor.runSync(processor.parse(text)))));
  });
});

const line = fc.constantFrom(
  '# Heading', '## Sub', '### Deep #', 'Plain text with *emphasis* and `code`.', '- item', '  - nested', '1. first', '> quote', '> # quoted heading',
  '    indented code', '<!-- one line -->', '[ref]: /url', '[Other Ref]: /other "title"', 'see [ref] and [other ref][] and [x][ref]',
  '[^1]: footnote', 'text[^1]', '[^n]: note', 'call[^n]', '| a | b |', '| - | - |', '===', '---', '\\# escaped', '#not a heading',
  '  # indented heading', '- [ ] task', '***',
);
/** Blocks: mostly balanced (so that cuts happen), with now and then an opener left open. */
const block = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('# Top', '## Section', '### Part') },
  { weight: 4, arbitrary: fc.array(line, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('\n')) },
  { weight: 2, arbitrary: fc.array(line, { maxLength: 3 }).map((ls) => ['```python', '# a comment', '', ...ls, '```'].join('\n')) },
  { weight: 2, arbitrary: fc.array(line, { maxLength: 3 }).map((ls) => ['<!-- setup', '', '# not a heading', ...ls, '-->'].join('\n')) },
  { weight: 1, arbitrary: fc.array(line, { maxLength: 3 }).map((ls) => ['<div>', ...ls, '</div>'].join('\n')) },
  { weight: 1, arbitrary: fc.array(line, { maxLength: 3 }).map((ls) => ['- item', '', '  ```', ...ls.map((l) => `  ${l}`), '  ```'].join('\n')) },
  { weight: 1, arbitrary: fc.constantFrom('```', '~~~', '<!-- open', '-->', '<script>', '</script>', '<?php', '?>', '```js') },
);

describe('property: pieces equal the whole, on documents made of tricky lines', () => {
  it('for any mix of headings, fences, HTML blocks, lists, quotes, definitions and footnotes', () => {
    const runs = Number(process.env['KB_FUZZ_RUNS'] ?? 300);
    let cut = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(block, fc.constantFrom('\n\n', '\n\n', '\n')), { minLength: 1, maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (blocks, eol) => {
        const text = blocks.map(([b, gap]) => b + gap).join('').replace(/\n/g, eol);
        const result = pieces(text);
        if (result.outcome?.how === 'pieces') cut++;
        expect(result.tree).toEqual(whole(text));
      }),
      { numRuns: runs },
    );
    // The property means something only if many documents were really cut.
    expect(cut).toBeGreaterThan(runs / 5);
  });
});
