/** fast-check arbitraries: Markdown built from pieces that break naive tools. */
import fc from 'fast-check';

const LINE_BREAKS = ['\n', '\n', '\n', '\r\n', '\r'];
/** Characters that are not line breaks in Markdown but are in JavaScript, editors or Unicode. */
const ODD = ['\u2028', '\u2029', '\u0085', '\v', '\f', '\0', '\uFEFF', '\uD800', '\uDC00', '\u00A0', '\t', '\u200B'];

const PIECES = [
  '# Title', '## Section', '### Sub *em* `code`', '## Section', '#### [link](#title)', '##### a\\#b ##', '####### seven', '#no-space',
  'Setext', '===', '---', '- - -', '***', '___',
  'Plain prose.', 'A [link](#section) and ![img](i.png "t").', '[ref][def] and [def] and [def][]', '[def]: https://example.com "T"', '[def]:', '   [x]: <y z>',
  '`code` and ``a ` b`` and `unclosed', '*em* **strong** _u_ __s__ ***both*** ~~del~~', '\\*escaped\\* \\[not\\](x) \\', '&amp; &#x26; &bogus;',
  'www.example.com https://x.y/z a@b.c', '<https://auto.link> <a href="#x">h</a>', '[^1] and [^1]: note',
  '```', '```py', '~~~', '````md', '    indented code', '\tTabbed', '  ## indented heading',
  '<!-- toc -->', '<!-- tocstop -->', '<!--', '-->', '<!-- a --> tail', '<div>', '</div>', '<pre>', '</pre>', '<?php ?>', '<!DOCTYPE x>',
  '- item', '* item', '+ item', '1. one', '2) two', '-', '1.', '  - nested', '    - deeper', '> quote', '> ## quoted', '>', '> - in quote',
  '| a | b |', '|---|---|', '| 1 | 2 |', '---', 'title: x', '+++',
  '- [Title](#title)', '  - [Section](#section)', '## Contents', '## Table of contents',
];

const piece = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.constantFrom(...ODD).map((c) => `text${c}more [l](#a${c})`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...ODD)).map(([p, c]) => `${p}${c}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('> ', '>', '- ', '1. ', '* ', '  ', '> 1. '), fc.integer({ min: 1, max: 140 }), fc.constantFrom(...PIECES))
      .map(([unit, n, p]) => `${unit.repeat(n)}${p}`),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('*', '_', '[', ']', '(', ')', '`', '<', '>', '!', '\\', '#', ' ', 'a', '\n', '\r'), maxLength: 30 }) },
);

/** A Markdown document: pieces joined by random line endings (LF, CR LF, CR), maybe with a BOM. */
export const hostileMarkdown = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(piece, fc.constantFrom(...LINE_BREAKS)), { maxLength: 40 }), fc.boolean())
  .map(([bom, parts, trailing]) => {
    const text = parts.map(([p, br], i) => (i < parts.length - 1 || trailing ? p + br : p)).join('');
    return bom ? `\uFEFF${text}` : text;
  });

/** Runs per property: small and seeded in CI, `KB_FUZZ_RUNS=5000 npm run fuzz` for a long run. */
export function fuzzParameters(ciRuns: number): fc.Parameters<unknown> {
  const runs = Number(process.env['KB_FUZZ_RUNS'] ?? '');
  const long = Number.isInteger(runs) && runs > 0;
  return long ? { numRuns: runs } : { numRuns: ciRuns, seed: 20261203 };
}
