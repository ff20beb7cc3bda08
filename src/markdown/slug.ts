/**
 * GitHub's heading anchors. The TOC generator and the link checker both call
 * `headingAnchors`, so the anchors they use can never disagree.
 */
import GithubSlugger from 'github-slugger';
import type { Heading, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { headingAttributes } from './heading-attributes.ts';

export interface HeadingAnchor {
  depth: number;
  /** Plain text of the heading as GitHub shows it (code, emphasis and links reduced to text). */
  text: string;
  /** GitHub's anchor, without '#', unique within the document. */
  slug: string;
  line: number;
  column: number;
  node: Heading;
}

/** Plain text of a heading: inline code, emphasis and links reduced to their text, images to their alt. */
export function headingText(node: Nodes): string {
  const text = toString(node, { includeImageAlt: true, includeHtml: false }).trim();
  // `## Title { #id .class }` (attr_list, pandoc): the braces are attributes, not title.
  return node.type === 'heading' ? headingAttributes(text).text.trim() : text;
}

/**
 * Every heading of a document with its anchor, in document order. One slugger
 * per document, so duplicates get `-1`, `-2` exactly as on GitHub. Headings in
 * code blocks, HTML comments and front matter are not headings in the tree, so
 * they never get here.
 */
export function headingAnchors(tree: Root): HeadingAnchor[] {
  const slugger = new GithubSlugger();
  const anchors: HeadingAnchor[] = [];
  visit(tree, 'heading', (node) => {
    const written = toString(node, { includeImageAlt: true, includeHtml: false }).trim();
    const { text, id } = headingAttributes(written);
    anchors.push({
      depth: node.depth,
      text: text.trim(),
      // A custom `{ #id }` is the heading's anchor on the sites that read it.
      slug: id ?? slugger.slug(text.trim()),
      line: node.position?.start.line ?? 0,
      column: node.position?.start.column ?? 0,
      node,
    });
  });
  return anchors;
}

/** GitHub's slug of one string, without de-duplication. */
export function slug(text: string): string {
  return GithubSlugger.prototype.slug.call(new GithubSlugger(), text);
}
