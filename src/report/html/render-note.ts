/**
 * One note → sanitized hast for the page: re-parse the note (same parser as
 * the plan, so lines match the report), decorate it with claim and example
 * statuses (annotate.ts), convert with remark-rehype (raw HTML not allowed)
 * and sanitize.
 */
import type { ElementContent, Root as HastRoot } from 'hast';
import rehypeSanitize from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { parseMarkdown } from '../../markdown/parse.ts';
import type { NoteReport } from '../schema.ts';
import { decorate } from './annotate.ts';
import type { Highlight } from './highlight.ts';
import type { NoteAnchor } from './links.ts';
import { noteSchema } from './sanitize.ts';

export interface RenderNoteOptions {
  /** The note's Markdown text. */
  text: string;
  note: NoteReport;
  anchors: Map<string, NoteAnchor>;
  pageToRoot: string;
  /** Colours code blocks (highlight.ts); runs before the sanitizer, which keeps its `pl-*` spans. */
  highlight?: Highlight;
}

export function renderNote(options: RenderNoteOptions): ElementContent[] {
  const anchor = options.anchors.get(options.note.path);
  const prefix = anchor?.prefix ?? 'n-';
  const tree = parseMarkdown(options.text);
  decorate(tree, {
    prefix,
    claims: options.note.claims,
    examples: options.note.examples,
    notePath: options.note.path,
    anchors: options.anchors,
    pageToRoot: options.pageToRoot,
    brokenLinks: new Map(options.note.other.filter((o) => o.name === 'links').flatMap((o) => o.problems ?? []).map((p) => [`${p.line}:${p.column}`, p])),
  });
  const highlight = options.highlight;
  const processor = unified()
    .use(remarkRehype, { allowDangerousHtml: false, clobberPrefix: prefix })
    .use(() => (tree: HastRoot) => highlight?.(tree))
    .use(rehypeSanitize, noteSchema);
  const hast = processor.runSync(tree) as HastRoot;
  return hast.children.filter((node): node is ElementContent => node.type !== 'doctype');
}
