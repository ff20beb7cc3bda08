/**
 * One walk over a note's tree collects everything the link checks need: the
 * URLs of links, images, definitions and raw-HTML `href`/`src`; the anchors raw
 * HTML defines; definitions and the references that use them; and the phrasing
 * blocks in which an undefined `[text][label]` may hide; the headings. Code is
 * never walked into (code and inline code have no children), so links in code
 * are not links; mkdocs container bodies are read as Markdown, as the site does.
 */
import type { Heading, Nodes, Paragraph, TableCell } from 'mdast';
import { CONTINUE, SKIP, visit } from 'unist-util-visit';
import { allLayers, readContainers, type ContainerLayer } from '../markdown/containers.ts';
import type { Note } from '../markdown/parse.ts';
import { parseAnnotation } from '../plan/annotations.ts';
import { htmlAnchors, htmlLinks } from './html.ts';
import { referenceLabelsInHtml } from './references.ts';
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
  /** The `"title"` of `[label]: url "title"`, if any. */
  title?: string;
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

/** A phrasing block and the layer (the note, or a container body) whose source its offsets point into. */
export interface PhrasingSource {
  block: PhrasingBlock;
  layer: ContainerLayer;
}

export interface CollectedLinks {
  links: LinkOccurrence[];
  definitions: DefinitionInfo[];
  /** Identifiers used by `linkReference` / `imageReference` nodes. */
  usedIdentifiers: Set<string>;
  /** Labels named in comments and `markdown` HTML (`referenceLabelsInHtml`): they use a definition, if there is one. */
  htmlReferenceLabels: string[];
  htmlAnchors: AnchorInfo[];
  phrasingBlocks: PhrasingSource[];
  /** Headings in document order, those inside containers included (their anchors exist on the site). */
  headings: Heading[];
  /** More than one layer: a reference in one may use a definition in another, which remark never resolves. */
  hasContainers: boolean;
  /** Offsets where lines start in `note.file.value`. */
  lineStarts: number[];
  source: string;
}

const cache = new WeakMap<Note, CollectedLinks>();

/**
 * Reads the note as the renderer does: its own tree, then each mkdocs
 * container body (parsed on its own, see `markdown/containers.ts`); what the
 * note's own parse made of a body's lines (indented code) is skipped.
 */
export function collectLinks(note: Note): CollectedLinks {
  const cached = cache.get(note);
  if (cached) return cached;
  const source = String(note.file.value);
  let starts: number[] | undefined;
  const layers = allLayers(readContainers(note.tree, source));
  const collected: CollectedLinks = {
    links: [],
    definitions: [],
    usedIdentifiers: new Set(),
    htmlReferenceLabels: [],
    htmlAnchors: [],
    phrasingBlocks: [],
    headings: [],
    hasContainers: layers.length > 1,
    get lineStarts() {
      starts ??= lineStarts(source);
      return starts;
    },
    source,
  };
  for (const layer of layers) collectLayer(layer, collected);
  if (collected.hasContainers) {
    const byPlace = (a: { line: number; column: number }, b: { line: number; column: number }) => a.line - b.line || a.column - b.column;
    collected.links.sort(byPlace);
    collected.definitions.sort(byPlace);
    collected.htmlAnchors.sort(byPlace);
    collected.headings.sort((a, b) => (a.position?.start.line ?? 0) - (b.position?.start.line ?? 0));
  }
  cache.set(note, collected);
  return collected;
}

function collectLayer(layer: ContainerLayer, collected: CollectedLinks): void {
  visit(layer.tree, (node: Nodes) => {
    const start = node.position?.start;
    if (node.type !== 'root' && layer.inBody(start?.line ?? 0)) return SKIP;
    switch (node.type) {
      case 'link':
      case 'image':
      case 'definition': {
        collected.links.push({ url: node.url, kind: node.type, line: start?.line ?? 1, column: start?.column ?? 1 });
        if (node.type === 'definition') {
          collected.definitions.push({
            identifier: node.identifier,
            label: node.label ?? node.identifier,
            url: node.url,
            ...(node.title ? { title: node.title } : {}),
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
      case 'heading':
        collected.headings.push(node);
        collected.phrasingBlocks.push({ block: node, layer });
        break;
      case 'paragraph':
      case 'tableCell':
        collected.phrasingBlocks.push({ block: node, layer });
        break;
      case 'html':
        collectHtml(layer, node.position?.start.offset, node.position?.end.offset, collected);
        break;
      case 'code':
        for (const id of fenceIds(node.lang, node.meta)) collected.htmlAnchors.push({ slug: id, line: start?.line ?? 1, column: start?.column ?? 1, display: `{ #${id} }` });
        break;
      default:
        break;
    }
    return CONTINUE;
  });
}

/** `#id`s in a fence's attribute block (```` ``` { .sh #example } ````: attr_list, pandoc): the site gives the code block that id. */
function fenceIds(lang: string | null | undefined, meta: string | null | undefined): string[] {
  const info = [lang, meta].filter(Boolean).join(' ');
  const block = /\{([^}]*)\}/.exec(info);
  if (!block) return [];
  return [...block[1]!.matchAll(/(?:^|\s)#([^\s}#.]+)/g)].map((match) => match[1]!);
}

/** The web `cite=` URLs of a claim annotation, with their offsets in the comment (anything else is the plan's to report). */
function claimCites(html: string): Array<{ url: string; offset: number }> {
  if (!/^\s*<!--\s*claim\b/.test(html)) return [];
  const annotation = parseAnnotation(html)?.annotation;
  if (annotation?.kind !== 'claim') return [];
  return annotation.options.filter((option) => option.key === 'cite' && typeof option.value === 'string' && /^https?:\/\//i.test(option.value)).map((option) => ({ url: option.value as string, offset: option.offset }));
}

function collectHtml(layer: ContainerLayer, startOffset: number | undefined, endOffset: number | undefined, collected: CollectedLinks): void {
  if (startOffset === undefined || endOffset === undefined) return;
  // The source, not node.value: inside a blockquote or list the value lacks the `> ` prefixes.
  const html = layer.source.slice(startOffset, endOffset);
  collected.htmlReferenceLabels.push(...referenceLabelsInHtml(html));
  const at = (offset: number) => pointAt(collected.lineStarts, layer.toNoteOffset(startOffset + offset));
  for (const attribute of htmlAnchors(html)) {
    const point = at(attribute.offset);
    collected.htmlAnchors.push({
      slug: attribute.value,
      line: point.line,
      column: point.column,
      display: `${attribute.name}="${attribute.value}"`,
    });
  }
  for (const cite of claimCites(html)) {
    const point = at(cite.offset);
    collected.links.push({ url: cite.url, kind: 'cite', line: point.line, column: point.column });
  }
  for (const attribute of htmlLinks(html)) {
    const point = at(attribute.offset);
    collected.links.push({ url: attribute.value, kind: 'html', line: point.line, column: point.column });
  }
}
