/**
 * Random and hostile Markdown through every stage: the parse, the fast
 * outline scanner (== the full parse wherever it answers), the TOC check and
 * update, the link checks, plan extraction and the vitest plugin's module
 * generation. None may throw. Seeded and small here; `npm run fuzz`
 * (KB_FUZZ_RUNS) runs more and random seeds.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../../src/links/check.ts';
import { buildLinkIndex } from '../../src/links/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import { checkToc, updateToc } from '../../src/toc/toc.ts';
import { kbNotes } from '../../src/vitest/plugin.ts';
import { fastEqualsFull } from '../markdown/oracle.ts';
import { fuzzParameters, hostileMarkdown } from './hostile-markdown.ts';

const root = mkdtempSync(path.join(tmpdir(), 'kb-fuzz-'));
mkdirSync(path.join(root, 'notes'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hostile Markdown', () => {
  it('the fast outline scanner answers as the full parse does, or gives up', () => {
    fc.assert(fc.property(hostileMarkdown, (text) => void fastEqualsFull(text)), fuzzParameters(120));
  });

  it('no stage throws: parse, TOC check and update, links, plan extraction', () => {
    const file = path.join(root, 'notes/fuzz.md');
    fc.assert(
      fc.property(hostileMarkdown, (text) => {
        const note = noteFromText(file, text, { root });
        checkToc(note);
        updateToc(note);
        checkLinks(noteFromText(file, text, { root }), buildLinkIndex({ root }));
        extractPlan(noteFromText(file, text, { root }), { root });
      }),
      fuzzParameters(80),
    );
  });

  // Found by this fuzz test: an inserted TOC list swallowed an indented heading right after it (it
  // became the item's content), so a second update deleted the heading. Fixed on main since.
  it('updating a TOC is idempotent and keeps an indented heading that follows it', () => {
    const file = path.join(root, 'notes/idempotent.md');
    const once = updateToc(noteFromText(file, '## Table of contents\n  ## indented heading', { root })).text;
    const twice = updateToc(noteFromText(file, once, { root })).text;
    expect(twice).toBe(once);
    expect(twice).toContain('  ## indented heading');
  });

  it("the vitest plugin's module generation does not throw", async () => {
    const plugin = kbNotes({ root });
    const load = plugin.load as unknown as (id: string) => Promise<{ code: string } | null>;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileMarkdown, async (text) => {
        const file = path.join(root, 'notes', `gen-${n++}.md`);
        writeFileSync(file, text);
        expect(typeof (await load.call({ addWatchFile: () => {} }, file))?.code).toBe('string');
      }),
      fuzzParameters(30),
    );
  });
});
