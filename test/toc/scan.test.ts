/**
 * The CLI's fast outline scanner must agree with the full parse wherever it
 * does not give up: same TOC status, same replacement, same expected text,
 * same index title and summary. Checked on the fixtures, on a generated
 * corpus and on random documents built from tricky lines.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.ts';
import type { Note } from '../../src/markdown/parse.ts';
import { simplePlainText } from '../../src/toc/outline-inline.ts';
import { scanNote } from '../../src/markdown/outline/index.ts';
import { noteSummary, noteTitle } from '../../src/toc/summary.ts';
import { planToc } from '../../src/toc/toc.ts';
import { cases, note, REPO, tempDir, VARIANTS } from './helpers.ts';

/** What the CLI takes from the outline: "no TOC and nothing to warn about", and the index's title and summary. */
function verdict(n: Note) {
  const plan = planToc(n);
  return { clean: plan.status === 'absent' && plan.warnings.length === 0, title: noteTitle(n), summary: noteSummary(n) };
}

/** Undefined when the scanner gave up (allowed), else whether it agrees. */
function agrees(text: string): boolean | undefined {
  const fast = scanNote(path.join(REPO, 'notes/x.md'), text, { root: REPO, summary: true });
  if (!fast) return undefined;
  const full = note(text);
  const fastVerdict = verdict(fast);
  const fullVerdict = verdict(full);
  // The outline may send a note to the full parse for nothing, never wave one through.
  if (!fastVerdict.clean) fullVerdict.clean = false;
  expect(fastVerdict).toEqual(fullVerdict);
  return true;
}

const TRICKY = [
  '', '', '', '# Title', '## Contents', '## TOC', '### Sub `code`', '#### Deep *em*', '## echo', '## echo', '#No space', '  ## indented', '    ## code',
  'Plain paragraph text.', 'Another line of prose', 'Setext', '===', '---', '- - -', '***', '- item', '- [Entry](#entry)', '  - [Nested](#nested)',
  '* star item', '1. one', '2. two', '3) paren', '-', '> quote', '> ## quoted heading', '>', '```', '```python', '~~~', '# comment in code?',
  '<!-- toc -->', '<!-- tocstop -->', '<!--', '-->', '<!-- note -->', '<div>', '</div>', '[ref]: https://example.com', '## [ref]', '## [x](y)',
  '## *em* and **strong**', '## a *b*c', '## snake_case_name', '## _under_ score', '## **a*', '## *a **b** c*', '## 2*3*4', '## *a*.', '## __init__',
  '| a | b |', '|---|---|', '[^1]: footnote', '\tTabbed', '## Q&A', '## &amp; entity', '## ~~gone~~', 'Text with <!-- inline --> comment',
];

function randomDoc(seed: number): string {
  let a = seed;
  const rand = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const count = 3 + Math.floor(rand() * 25);
  return Array.from({ length: count }, () => TRICKY[Math.floor(rand() * TRICKY.length)]).join('\n') + (rand() < 0.5 ? '\n' : '');
}

describe('fast outline scanner', () => {
  it.each(cases().flatMap((c) => VARIANTS.map((v) => [`${c.name} ${v.name}`, v.apply(c.expected ?? c.input)] as const)))('agrees on fixture %s', (_name, text) => {
    agrees(text);
  });

  it('handles the seed note (blockquotes, lists, fences) without giving up, also when stale', () => {
    const seed = cases().find((c) => c.name === 'seed')?.input ?? '';
    expect(agrees(seed)).toBe(true);
    const stale = seed.replace('- [Tasks](#tasks)', '- [Taks](#taks)').replace('    - [Futures](#futures)\n', '').replace('## Pitfalls', '## Pitfalls\n\n## Old');
    expect(agrees(stale)).toBe(true);
  });

  it('reads code spans without a parse, and leaves other markup to the parser', () => {
    expect(simplePlainText('Using `asyncio.gather()` & co')).toBe('Using asyncio.gather() & co');
    expect(simplePlainText('` padded `')).toBe('padded');
    expect(simplePlainText('`a``b`')).toBeUndefined();
    expect(simplePlainText('`code` and *em*')).toBeUndefined();
    expect(simplePlainText('What is *really* happening? **Bold**.')).toBe('What is really happening? Bold.');
    expect(simplePlainText('snake_case and _em_')).toBe('snake_case and em');
    expect(simplePlainText('2*3*4')).toBeUndefined();
    expect(simplePlainText('*a **b** c*')).toBeUndefined();
  });

  it('agrees on a generated corpus and rarely gives up there', () => {
    const dir = tempDir();
    const corpus = generateCorpus({ dir, notes: 150, seed: 7 });
    const results = corpus.files.map((file) => agrees(readFileSync(path.join(corpus.notesDir, file), 'utf8')));
    expect(results.filter((r) => r === undefined).length).toBeLessThan(results.length / 10);
  });

  it('agrees on 1,500 random documents of tricky lines (or gives up)', () => {
    let scanned = 0;
    for (let seed = 1; seed <= 1500; seed++) if (agrees(randomDoc(seed))) scanned++;
    expect(scanned).toBeGreaterThan(100);
  });
});
