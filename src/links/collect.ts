/**
 * One walk over a note's tree collects everything the link checks need: the
 * URLs of links, images, definitions and raw-HTML `href`/`src`; the anchors raw
 * HTML defines; definitions and the references that use them; and the phrasing
 * blocks in which an undefined `[text][label]` may hide. Code is never walked
 * into (code and inline code have no children), so links in code are not links.
 */
import type { Heading, Nodes, Paragraph, TableCell } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Note } from '../markdown/parse.ts';
import { parseAnnotation } from '../plan/annotations.ts';
import { htmlAnchors, htmlLinks } from './html.ts';
import { lineStarts, pointAt } from './position.ts';

/** `cite` is the `cite=URL` of a claim annotation (`<!-- claim id cite=URL -->`). */
export type LinkKind = 'link' | 'image' | 'definition' | 'html' | 'cite';

export interface LinkOccurrence {
  url: string;
  kind: LinkKind;
  line: number;
  column: number;
}

export interface DefinitionInfo {
  identifier: string;
  label: string;
  url: string;
  line: number;
  column: number;
}

export interface AnchorInfo {
  /** The anchor without `#`. */
  slug: string;
  line: number;
  column: number;
  /** How it looks in the source, for messages: `#### Tasks`, `id="setup"`. */
  display: string;
}

export type PhrasingBlock = Paragraph | Heading | TableCell;

export interface CollectedLinks {
  links: LinkOccurrence[];
  definitions: DefinitionInfo[];
  /** Identifiers used by `linkReference` / `imageReference` nodes. */
  usedIdentifiers: Set<string>;
  htmlAnchors: AnchorInfo[];
  phrasingBlocks: PhrasingBlock[];
  /** Offsets where lines start in `note.file.value`. */
  lineStarts: number[];
  source: string;
}

const cache = new WeakMap<Note, CollectedLinks>();

export function collectLinks(note: Note): CollectedLinks {
  const cached = cache.get(note);
  if (cached) return cached;
  const source = String(note.file.value);
  let starts: number[] | undefined;
  const collected: CollectedLinks = {
    links: [],
    definitions: [],
    usedIdentifiers: new Set(),
    htmlAnchors: [],
    phrasingBlocks: [],
    get lineStarts() {
      starts ??= lineStarts(source);
      return starts;
    },
    source,
  };
  visit(note.tree, (node: Nodes) => {
    switch (node.type) {
      case 'link':
      case 'image':
      case 'definition': {
        const start = node.position?.start;
        collected.links.push({ url: node.url, kind: node.type, line: start?.line ?? 1, column: start?.column ?? 1 });
        if (node.type === 'definition') {
          collected.definitions.push({
            identifier: node.identifier,
            label: node.label ?? node.identifier,
            url: node.url,
            line: start?.line ?? 1,
            column: start?.column ?? 1,
          });
        }
        break;
      }
      case 'linkReference':
      case 'imageReference':
        collected.usedIdentifiers.add(node.identifier);
        break;
      case 'paragraph':
      case 'heading':
      case 'tableCell':
        collected.phrasingBlocks.push(node);
        break;
      case 'html':
        collectHtml(node.position?.start.offset, node.position?.end.offset, collected);
        break;
      default:
        break;
    }
  });
  cache.set(note, collected);
  return collected;
}

/** The web `cite=` URLs of a claim annotation, with their offsets in the comment (anything else is the plan's to report). */
function claimCites(html: string): Array<{ url: string; offset: number }> {
  if (!/^\s*<!--\s*claim\b/.test(html)) return [];
  const annotation = parseAnnotation(html)?.annotation;
  if (annotation?.kind !== 'claim') return [];
  return annotation.options.filter((option) => option.key === 'cite' && typeof option.value === 'string' && /^https?:\/\//i.test(option.value)).map((option) => ({ url: option.value as string, offset: option.offset }));
}

function collectHtml(startOffset: number | undefined, endOffset: number | undefined, collected: CollectedLinks): void {
  if (startOffset === undefined || endOffset === undefined) return;
  // The source, not node.value: inside a blockquote or list the value lacks the `> ` prefixes.
  const html = collected.source.slice(startOffset, endOffset);
  for (const attribute of htmlAnchors(html)) {
    const point = pointAt(collected.lineStarts, startOffset + attribute.offset);
    collected.htmlAnchors.push({
      slug: attribute.value,
      line: point.line,
      column: point.column,
      display: `${attribute.name}="${attribute.value}"`,
    });
  }
  for (const cite of claimCites(html)) {
    const point = pointAt(collected.lineStarts, startOffset + cite.offset);
    collected.links.push({ url: cite.url, kind: 'cite', line: point.line, column: point.column });
  }
  for (const attribute of htmlLinks(html)) {
    const point = pointAt(collected.lineStarts, startOffset + attribute.offset);
    collected.links.push({ url: attribute.value, kind: 'html', line: point.line, column: point.column });
  }
}
