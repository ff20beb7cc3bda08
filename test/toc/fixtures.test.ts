/**
 * Table-driven: every fixture case (input.md, and expected.md when the TOC
 * must change) in four line-ending/BOM variants.
 */
import { describe, expect, it } from 'vitest';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { existingEntries } from '../../src/toc/entries.ts';
import { locateTocRegion } from '../../src/toc/region.ts';
import { checkToc, planToc, updateToc } from '../../src/toc/toc.ts';
import { cases, note, VARIANTS } from './helpers.ts';

describe.each(cases())('fixture $name', ({ name, input, expected }) => {
  describe.each(VARIANTS)('$name', ({ apply }) => {
    const before = apply(input);
    const after = apply(expected ?? input);

    it('updateToc gives the expected text', () => {
      const result = updateToc(note(before));
      expect(result.diagnostics).toEqual([]);
      expect(result.text).toBe(after);
      expect(result.changed).toBe(expected !== undefined);
    });

    it('changes no byte outside the region', () => {
      const plan = planToc(note(before));
      if (!plan.replacement) return expect(plan.status).toBe('absent');
      const bom = before.startsWith('\uFEFF') ? 1 : 0;
      const { start, end, text } = plan.replacement;
      expect(Buffer.from(after.slice(0, bom + start))).toEqual(Buffer.from(before.slice(0, bom + start)));
      expect(Buffer.from(after.slice(bom + start + text.length))).toEqual(Buffer.from(before.slice(bom + end)));
      if (before.includes('\r\n')) expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    });

    it('is idempotent and then checks as current', () => {
      const second = updateToc(note(after));
      expect(second.changed).toBe(false);
      expect(second.text).toBe(after);
      expect(checkToc(note(after)).status).toBe(name === 'no-toc' ? 'absent' : 'current');
    });

    it('checks the input as stale exactly when it must change', () => {
      const result = checkToc(note(before));
      if (expected === undefined) {
        expect(result.status).toBe(name === 'no-toc' ? 'absent' : 'current');
        expect(result.diagnostics).toEqual([]);
      } else {
        expect(result.status).toBe('stale');
        expect(result.diff).toMatch(/^--- notes\/x\.md \(current\)\n\+\+\+ notes\/x\.md \(expected\)\n@@ /);
        expect(result.diagnostics.length).toBeGreaterThan(0);
        expect(result.expected).toBe(after);
      }
    });
  });

  it('renders entries that read back as the headings they point to', () => {
    const current = note(expected ?? input);
    const located = locateTocRegion(current.tree, current.text);
    if (!located.region) return;
    const lists = located.region.lists;
    const slugs = new Map(headingAnchors(current.tree).map((a) => [a.slug, a.text]));
    for (const entry of existingEntries(lists)) {
      expect(entry.anchor).toBeDefined();
      expect(slugs.get(entry.anchor as string)).toBe(entry.text);
    }
  });
});

describe('the seed note', () => {
  const seed = cases().find((c) => c.name === 'seed');
  it('is current and the generator changes no byte', () => {
    expect(seed?.expected).toBeUndefined();
    const input = seed?.input ?? '';
    expect(checkToc(note(input))).toMatchObject({ status: 'current', diagnostics: [] });
    expect(updateToc(note(input))).toEqual({ changed: false, text: input, diagnostics: [] });
  });
});
