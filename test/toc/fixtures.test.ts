/**
 * Table-driven: every fixture case in test/toc/fixtures/cases/NAME/ has
 * `input.md`, `expected.md` when the TOC must change, and `warnings.txt` when
 * a place is left to its author with a warning. Each runs in four
 * line-ending/BOM variants.
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { existingEntries } from '../../src/toc/entries.ts';
import { locateTocRegion } from '../../src/toc/region.ts';
import { checkToc, planToc, updateToc } from '../../src/toc/toc.ts';
import { cases, note, VARIANTS } from './helpers.ts';

describe.each(cases())('fixture $name', ({ input, expected, warnings }) => {
  describe.each(VARIANTS)('$name', ({ apply }) => {
    const before = apply(input);
    const after = apply(expected ?? input);

    it('updateToc gives the expected text and warnings', () => {
      const result = updateToc(note(before));
      expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
      expect(result.warnings.map(formatDiagnostic)).toEqual(warnings);
      expect(result.warnings.every((w) => w.fatal === false)).toBe(true);
      expect(result.text).toBe(after);
      expect(result.changed).toBe(expected !== undefined);
    });

    it('changes no byte outside the region', () => {
      const plan = planToc(note(before));
      if (!plan.replacement) return expect(['absent', 'current']).toContain(plan.status);
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
      const status = checkToc(note(after)).status;
      expect(status).toBe(expected === undefined ? checkToc(note(before)).status : 'current');
      expect(['absent', 'current']).toContain(status);
    });

    it('checks the input as stale exactly when it must change, warnings apart', () => {
      const result = checkToc(note(before));
      expect(result.warnings.map(formatDiagnostic)).toEqual(warnings);
      if (expected === undefined) {
        expect(['absent', 'current']).toContain(result.status);
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
    const slugs = new Map(headingAnchors(current.tree).map((a) => [a.slug, a.text]));
    for (const entry of existingEntries(located.region.lists)) {
      if (entry.anchor === undefined) continue;
      expect(slugs.get(entry.anchor)).toBe(entry.text);
    }
  });
});

describe('the seed note', () => {
  const seed = cases().find((c) => c.name === 'seed');
  it('is current and the generator changes no byte', () => {
    expect(seed?.expected).toBeUndefined();
    const input = seed?.input ?? '';
    expect(checkToc(note(input))).toMatchObject({ status: 'current', diagnostics: [], warnings: [] });
    expect(updateToc(note(input))).toMatchObject({ changed: false, text: input, diagnostics: [], warnings: [] });
  });
});
