/** Info strings are open-ended input: properties of reading them, over generated strings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInfoString, separateOptions } from '../../src/plan/fence-info.ts';
import { EXAMPLE_OPTIONS } from '../../src/plan/options.ts';

const OURS = Object.keys(EXAMPLE_OPTIONS);
const word = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
// Values as an author writes them: bare (backslashes kept as written), or quoted with spaces.
const value = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_.,<>=\\()-]{1,10}$/).map((v) => ({ text: v, value: v })),
  // Inside quotes `\\` and `\"` are escapes; a doubled backslash always reads back as one.
  fc.stringMatching(/^[A-Za-z0-9 _.\\()-]{0,10}$/).map((v) => ({ text: `"${v.replace(/\\/g, '\\\\')}"`, value: v })),
);
const ourOption = fc.tuple(fc.constantFrom('name', 'session', 'raises', 'match', 'claim'), value).map(([key, v]) => ({ text: `${key}=${v.text}`, key, value: v.value }));
const rendererAttribute = fc.oneof(
  fc.constantFrom('title="main.py"', 'hl_lines="2 3"', 'linenums="1"', '{ .annotate }', '{1,3-5}', 'showLineNumbers', 'should_panic', '.class', '#id'),
  word.filter((w) => !OURS.includes(w) && w.length > 8).map((w) => `${w}=x`),
);

describe('reading info strings', () => {
  it('never throws, and every offset points inside the info string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).filter((s) => !s.includes('\n') && !s.includes('`')), (info) => {
        const read = parseInfoString(info, 3);
        const offsets = [...read.options.map((o) => o.offset), ...read.attributes.map((a) => a.offset), ...(read.error ? [read.error.offset] : [])];
        for (const offset of offsets) {
          expect(offset).toBeGreaterThanOrEqual(3);
          expect(offset).toBeLessThanOrEqual(3 + info.length);
        }
        separateOptions(read, OURS, 'an example');
      }),
      { numRuns: 500 },
    );
  });

  it('the language, this tool\'s options and the renderer attributes come back as written, in any order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('python', 'py', 'js', 'sh', 'rust'),
        fc.uniqueArray(ourOption, { selector: (o) => o.key, maxLength: 4 }),
        fc.array(rendererAttribute, { maxLength: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (lang, ours, attributes, seed) => {
          const tokens = [...ours.map((o) => o.text), ...attributes];
          // A stable shuffle driven by the seed: order must not matter.
          tokens.sort((a, b) => ((a.length * 31 + seed) % 7) - ((b.length * 31 + seed) % 7));
          const info = [lang, ...tokens].join(' ');
          const read = parseInfoString(info);
          expect(read.error).toBeUndefined();
          expect(read.lang).toBe(lang);
          const separated = separateOptions(read, OURS, 'an example');
          expect(separated.errors).toEqual([]);
          expect(Object.fromEntries(separated.options.map((o) => [o.key, o.value]))).toEqual(Object.fromEntries(ours.map((o) => [o.key, o.value])));
          expect(separated.attributes).toHaveLength(attributes.length);
          for (const option of separated.options) expect(info.slice(option.offset).startsWith(`${option.key}=`)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
