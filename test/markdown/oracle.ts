/**
 * The fast outline scanner against the full parse: wherever the scanner
 * answers, what each tool gets from it must equal what it gets from the full
 * parse: the link checker's summary (links, definitions, anchors, lines and
 * columns) and the TOC's verdict (status, replacement, title, summary), and
 * the headings (depth, text, slug, line, column).
 */
import path from 'node:path';
import { expect } from 'vitest';
import { fastNotes } from '../../src/links/fast/resolve.ts';
import { summarizeNote } from '../../src/links/summary.ts';
import { type Note, noteFromText } from '../../src/markdown/parse.ts';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { scanNote } from '../../src/markdown/outline/index.ts';
import { noteSummary, noteTitle } from '../../src/toc/summary.ts';
import { planToc } from '../../src/toc/toc.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const NOTE = path.join(ROOT, 'notes/x.md');

function verdict(n: Note) {
  const plan = planToc(n);
  return { status: plan.status, replacement: plan.replacement, expected: plan.expected, title: noteTitle(n), summary: noteSummary(n) };
}

const headings = (n: Note) => headingAnchors(n.tree).map(({ depth, text, slug, line, column }) => ({ depth, text, slug, line, column }));

/** Checks both fast paths against the full parse; returns which of them answered (rather than gave up). */
export function fastEqualsFull(text: string): { toc: boolean; links: boolean } {
  const full = noteFromText(NOTE, text, { root: ROOT });
  const stats = { gaveUp: 0, safetyNet: 0 };
  const [linkNote] = fastNotes([{ path: NOTE, text }], ROOT, stats);
  expect(stats.safetyNet, 'a block swallowed the next ones').toBe(0);
  expect(summarizeNote(linkNote!), 'links: fast != full').toEqual(summarizeNote(full));
  const outline = scanNote(NOTE, text, { root: ROOT, summary: true });
  if (outline) {
    expect(verdict(outline), 'toc: fast != full').toEqual(verdict(full));
    expect(headings(outline), 'headings: fast != full').toEqual(headings(full));
  }
  return { toc: outline !== undefined, links: stats.gaveUp === 0 };
}
