/** The plain text a claim annotation refers to. */
import type { Nodes, Parent, PhrasingContent, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseAnnotation } from './annotations.ts';

/**
 * Plain text of phrasing content: a hard line break (two trailing spaces or a backslash at the
 * end of a line) reads as the space it stands for, at any depth (inside emphasis, links).
 */
function phrasingText(node: Nodes, includeHtml: boolean): string {
  if (node.type === 'break') return ' ';
  if ('children' in node) return (node.children as Nodes[]).map((c) => phrasingText(c, includeHtml)).join('');
  return toString(node, { includeHtml });
}

/** Plain text of a block, with its blocks (list items, paragraphs) separated by a space. */
export function plainText(node: Nodes): string {
  if (node.type === 'html') return '';
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
    return node.children.filter((c) => c.type !== 'html').map((c) => phrasingText(c, false)).join('').replace(/\s+/g, ' ').trim();
  }
  if ('children' in node) return (node.children as Nodes[]).map(plainText).filter(Boolean).join(' ');
  if (node.type === 'code') return node.value;
  return toString(node, { includeHtml: false }).replace(/\s+/g, ' ').trim();
}

/** Block annotation: the nearest previous sibling that is prose (not a comment, not a code block). */
export function claimTextOfBlock(parent: Parent, index: number): string {
  const siblings = parent.children as RootContent[];
  for (let j = index - 1; j >= 0; j--) {
    const s = siblings[j]!;
    // Comments and code blocks are not prose: a claim after an example is about the text before it.
    if (s.type === 'html' || s.type === 'code') continue;
    if (s.type === 'heading' || s.type === 'thematicBreak') return '';
    return plainText(s);
  }
  return '';
}

/** Inline annotation: the text of the paragraph before it, back to the previous claim annotation. */
export function claimTextAfter(paragraph: Parent, index: number): string {
  const children = paragraph.children as PhrasingContent[];
  let start = 0;
  for (let j = index - 1; j >= 0; j--) {
    const c = children[j]!;
    if (c.type === 'html' && parseAnnotation(c.value)?.annotation?.kind === 'claim') {
      start = j + 1;
      break;
    }
  }
  return children.slice(start, index).filter((c) => c.type !== 'html').map((c) => phrasingText(c, true)).join('').replace(/\s+/g, ' ').trim();
}
