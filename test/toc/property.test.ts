/**
 * Property tests: random Markdown made of headings, lists (TOC-like and not),
 * paragraphs, code fences and markers. Whatever the input, `updateToc`
 * - loses no line that is not a TOC entry (a line it removes is blank, a
 *   `- [text](#anchor)` entry, or between markers, which the author gave it),
 * - adds nothing but entries and blank lines,
 * - writes nothing in a note that asks for no TOC,
 * - changes nothing on a second run, and then checks as current.
 * The seed is fixed so CI is repeatable; `npm run fuzz` raises the number of
 * runs through KB_FUZZ_RUNS (read here, in the test, not at import).
 */
import { diffArrays } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { existingEntries } from '../../src/toc/entries.ts';
import { checkToc, planToc, updateToc } from '../../src/toc/toc.ts';
import { note } from './helpers.ts';

const runs = (): number => Number(process.env.KB_FUZZ_RUNS ?? '') || 150;
/** 60 s for CI's runs; `npm run fuzz` takes as long as its runs need. */
const timeout = (): number => Math.max(60_000, runs() * 200);
const seed = (): number => Number(process.env.KB_FUZZ_SEED ?? '') || 20261203;

const WORDS = ['Setup', 'usage', 'API', '`run()`', '*em*', 'a_b', '[x]', 'Q&A', '&copy;', 'déjà', 'TOC', 'Contents', 'Table of contents', '`a*b`', 'C++', '2.0', '!', '![logo][logo]', '<kbd>K</kbd>', '\\*', '~~x~~', '[^1]', '``a`b``'];
const word = fc.constantFrom(...WORDS);
const text = fc.array(word, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
const anchor = text.map((t) => t.toLowerCase().replace(/[^\p{L}\p{N}_ -]/gu, '').replace(/ /g, '-'));

const heading = fc.tuple(fc.integer({ min: 1, max: 4 }), text).map(([depth, t]) => [`${'#'.repeat(depth)} ${t}`]);
const tocHeading = fc.tuple(fc.integer({ min: 2, max: 3 }), fc.constantFrom('Contents', 'Table of Contents', 'TOC', 'table of content')).map(([depth, t]) => [`${'#'.repeat(depth)} ${t}`]);
const paragraph = fc.array(text, { minLength: 1, maxLength: 3 });
const bullet = fc.constantFrom('-', '*', '+', '1.');
const entryItem = fc.tuple(text, anchor).map(([t, a]) => `[${t}](#${a})`);
const otherItem = fc.oneof(text, fc.tuple(text).map(([t]) => `[${t}](other.md)`), fc.tuple(text).map(([t]) => `[${t}](https://example.com)`));
const list = fc
  .tuple(bullet, fc.constantFrom(2, 3, 4), fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.oneof({ weight: 3, arbitrary: entryItem }, { weight: 1, arbitrary: otherItem })), { minLength: 1, maxLength: 5 }))
  .map(([marker, width, items]) => {
    let level = 0;
    return items.map(([wanted, item], index) => {
      level = Math.min(wanted, index === 0 ? 0 : level + 1);
      return `${' '.repeat(level * width)}${marker} ${item}`;
    });
  });
const fence = fc.array(fc.oneof(text, fc.constant('<!-- toc -->'), fc.constant('## Not a heading')), { maxLength: 3 }).map((lines) => ['```md', ...lines, '```']);
const markers = fc.constantFrom<string[]>(['<!-- toc -->'], ['<!-- tocstop -->'], ['<!-- toc -->', '<!-- tocstop -->'], ['<!-- START doctoc -->'], ['<!-- END doctoc -->'], ['<!-- START doctoc -->', '<!-- END doctoc -->']);
const definitions = fc.constant<string[]>(['[logo]: https://example.com/logo.png', '[^1]: A footnote.']);
const block = fc.oneof(
  { weight: 15, arbitrary: heading },
  { weight: 9, arbitrary: paragraph },
  { weight: 9, arbitrary: list },
  { weight: 3, arbitrary: fence },
  { weight: 2, arbitrary: definitions },
  { weight: 1, arbitrary: tocHeading },
  { weight: 1, arbitrary: markers },
);
const entryList = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), entryItem), { minLength: 1, maxLength: 6 }).chain((items) =>
  fc.tuple(bullet, fc.constantFrom(2, 3, 4)).map(([marker, width]) => {
    let level = 0;
    return items.map(([wanted, item], index) => {
      level = Math.min(wanted, index === 0 ? 0 : level + 1);
      return `${' '.repeat(level * Math.max(width, marker.length + 1))}${marker} ${item}`;
    });
  }),
);
/** The TOC a note asks for, if any: the common shapes, so most documents have one that works. */
const tocRequest = fc.oneof(
  fc.constant([] as string[]),
  fc.tuple(tocHeading, entryList).map(([h, l]) => [...h, '', ...l]),
  fc.tuple(tocHeading, list).map(([h, l]) => [...h, '', ...l]),
  tocHeading,
  fc.tuple(tocHeading, fc.option(entryList)).map(([h, l]) => [...h, '', '<!-- toc -->', ...(l ? ['', ...l, ''] : []), '<!-- tocstop -->']),
  fc.option(entryList).map((l) => ['<!-- START doctoc generated TOC -->', "<!-- DON'T EDIT THIS SECTION -->", '**Table of Contents**', '', ...(l ?? []), '', '<!-- END doctoc generated TOC -->']),
);

const blocksWithGaps = fc.array(fc.tuple(block, fc.integer({ min: 0, max: 2 })), { maxLength: 10 });
const document = fc
  .tuple(blocksWithGaps, tocRequest, blocksWithGaps, fc.boolean(), fc.boolean(), fc.boolean())
  .map(([before, toc, after, crlf, bom, finalNewline]) => {
    const blocks: Array<[string[], number]> = [...before, [toc, 1], ...after];
    const lines = blocks.flatMap(([lines, blanks]) => [...lines, ...Array.from({ length: blanks }, () => '')]);
    const eol = crlf ? '\r\n' : '\n';
    return `${bom ? '\uFEFF' : ''}${lines.join(eol)}${finalNewline ? eol : ''}`;
  });

const ENTRY = /^\s*([-*+]|\d{1,9}[.)])\s+\[.*\]\(#[^)]*\)\s*$/;
const START = /^<!--\s*(toc\b(?!stop)|START doctoc\b)/i;
const END = /^<!--\s*(tocstop|END doctoc\b)/i;

/** Indices of the lines strictly between a start and an end marker, outside fences. */
function betweenMarkers(lines: readonly string[]): Set<number> {
  const inside = new Set<number>();
  let inFence = false;
  let open = -1;
  lines.forEach((line, index) => {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence) return;
    if (START.test(line)) open = index;
    else if (END.test(line) && open !== -1) {
      for (let at = open + 1; at < index; at++) inside.add(at);
      open = -1;
    }
  });
  return inside;
}

const split = (text: string): string[] => text.replace(/^\uFEFF/, '').split(/\r?\n/);

describe('toc on random Markdown (property)', () => {
  it('keeps every line that is not a TOC entry, adds only entries, and a second run changes nothing', () => {
    fc.assert(
      fc.property(document, (input) => {
        const first = updateToc(note(input));
        if (first.diagnostics.length > 0) {
          expect(first.text).toBe(input);
          return;
        }
        const before = split(input);
        const owned = betweenMarkers(before);
        let at = 0;
        for (const change of diffArrays(before, split(first.text))) {
          if (change.removed) {
            change.value.forEach((line, offset) => {
              const ok = line.trim() === '' || ENTRY.test(line) || owned.has(at + offset);
              expect(ok, `removed line ${at + offset + 1}: ${JSON.stringify(line)}`).toBe(true);
            });
          }
          if (change.added) for (const line of change.value) expect(line.trim() === '' || ENTRY.test(line), `added ${JSON.stringify(line)}`).toBe(true);
          if (!change.added) at += change.value.length;
        }
        // BOM and line endings are kept.
        expect(first.text.startsWith('\uFEFF')).toBe(input.startsWith('\uFEFF'));
        if (input.includes('\r\n')) expect(first.text.replace(/\r\n/g, '')).not.toContain('\n');
        const second = updateToc(note(first.text));
        expect(second.text).toBe(first.text);
        expect(second.changed).toBe(false);
        expect(['current', 'absent']).toContain(checkToc(note(first.text)).status);
        if (first.changed) {
          // What it wrote reads back as the headings it points to.
          const written = note(first.text);
          const plan = planToc(written);
          const headings = new Map(headingAnchors(written.tree).map((a) => [a.slug, a.text]));
          for (const entry of existingEntries(plan.region?.lists ?? [])) {
            const want = entry.anchor === undefined ? undefined : headings.get(entry.anchor);
            if (want !== undefined) expect(entry.text.replace(/\s+/g, ' ')).toBe(want.replace(/\s+/g, ' '));
          }
        }
      }),
      { seed: seed(), numRuns: runs() },
    );
  }, timeout());

  it('writes nothing in a note without markers and without a heading named like a TOC', () => {
    const noToc = document.filter((input) => !/^(<!--\s*(toc|START doctoc)|#+ .*(contents?|toc))/im.test(input.replace(/^\uFEFF/, '')));
    fc.assert(
      fc.property(noToc, (input) => {
        const result = updateToc(note(input));
        expect(result.text).toBe(input);
        expect(result.changed).toBe(false);
      }),
      { seed: seed(), numRuns: runs() },
    );
  }, timeout());
});
