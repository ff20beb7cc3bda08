/**
 * The CLI's fast path for notes WITH a TOC: the scanner's outline made exact
 * where `planToc` reads it. Headings with inline markup get their real inline
 * nodes (from one shared parse of those headings, across all notes: the TOC
 * renders code spans and escapes from them), and the lists the TOC code reads
 * (the region's, and every list under a heading named like a TOC) get their
 * items (outline-lists.ts). Any doubt returns undefined: parse that note fully.
 * test/toc/fast-note.test.ts checks checkToc and updateToc agree with the full parse.
 */
import type { Heading, List, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { type Note, parseMarkdown } from '../markdown/parse.ts';
import { fillLists } from './outline-lists.ts';
import { isTocHeadingText, locateTocRegion } from './region.ts';
import { headingText } from '../markdown/slug.ts';

/** Characters that may start inline markup (or an entity) in a heading's source. */
const MARKUP = /[\\`*_[\]<>~&!]/;

const bodyOf = (note: Note): string => (note.bom ? note.text.slice(1) : note.text);
const plain = (node: Heading): string => toString(node, { includeImageAlt: true, includeHtml: false }).trim();

/** Lists after each top-level heading named like a TOC (what region.ts reads), and the region's own. */
function listsToFill(tree: Root, body: string): List[] {
  const lists = new Set<List>();
  tree.children.forEach((node, index) => {
    if (node.type !== 'heading' || !isTocHeadingText(headingText(node))) return;
    for (let at = index + 1; tree.children[at]?.type === 'list'; at++) lists.add(tree.children[at] as List);
  });
  for (const list of locateTocRegion(tree, body).region?.lists ?? []) lists.add(list);
  return [...lists];
}

/** Give headings with markup their inline nodes, for all notes in one parse; false entries could not be. */
function fillHeadings(notes: ReadonlyArray<Note | undefined>): boolean[] {
  const wanted: Array<{ note: number; node: Heading; source: string; text: string }> = [];
  notes.forEach((note, index) => {
    if (!note) return;
    const body = bodyOf(note);
    for (const node of note.tree.children) {
      if (node.type !== 'heading') continue;
      const source = body.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
      if (MARKUP.test(source)) wanted.push({ note: index, node, source, text: plain(node) });
    }
  });
  const ok = notes.map((note) => note !== undefined);
  if (wanted.length === 0) return ok;
  const mini = parseMarkdown(wanted.map((w) => w.source).join('\n\n'));
  const aligned = mini.children.length === wanted.length;
  wanted.forEach((w, index) => {
    const parsed = aligned ? mini.children[index] : undefined;
    if (parsed?.type === 'heading' && parsed.depth === w.node.depth && plain(parsed) === w.text) w.node.children = parsed.children;
    else ok[w.note] = false;
  });
  return ok;
}

/** The outlines made exact for the TOC code, or undefined for a note to parse fully. Mutates the outlines. */
export function fastTocNotes(outlines: ReadonlyArray<Note | undefined>): Array<Note | undefined> {
  const headingsOk = fillHeadings(outlines);
  return outlines.map((note, index) => {
    if (!note || !headingsOk[index]) return undefined;
    // The outline places an indented block at its text, the parser at the line start: warnings would point elsewhere.
    if (note.tree.children.some((node) => (node.position?.start.column ?? 1) !== 1 && node.type !== 'heading' && node.type !== 'list')) return undefined;
    return fillLists(note, listsToFill(note.tree, bodyOf(note))) ? note : undefined;
  });
}
