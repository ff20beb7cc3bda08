/**
 * Everything the link checks need from one note, as plain data: its links,
 * definitions and references, the anchors it defines and its line count.
 * Built from the one parse of the note; small and structured-cloneable, so
 * notes can be parsed in worker threads and checked in the main one.
 */
import type { Root } from 'mdast';
import type { Note } from '../markdown/parse.ts';
import { NESTING_RULE } from '../markdown/nesting.ts';
import { headingAnchors } from '../markdown/slug.ts';
import { collectLinks, type AnchorInfo, type DefinitionInfo, type LinkOccurrence } from './collect.ts';
import { countLines, pointAt } from './position.ts';
import { scanReferences } from './references.ts';

export interface UndefinedReferenceAt {
  label: string;
  identifier: string;
  text: string;
  line: number;
  column: number;
}

export interface NoteSummary {
  /** Absolute path. */
  path: string;
  /** Relative to the root, `/`-separated. */
  relPath: string;
  links: LinkOccurrence[];
  definitions: DefinitionInfo[];
  usedIdentifiers: string[];
  undefinedReferences: UndefinedReferenceAt[];
  /** Heading anchors (GitHub's) then raw-HTML `id`/`name` anchors. */
  anchors: AnchorInfo[];
  /** mkdocstrings `::: module.Object` blocks: identifiers an mkdocs autoref may name. */
  autorefIds: string[];
  lineCount: number;
  /** Problems the parse itself found (`nesting-too-deep`): the checker reports them with its own. */
  parseProblems: Array<{ line: number; column: number; reason: string; ruleId: typeof NESTING_RULE }>;
}

const cache = new WeakMap<Note, NoteSummary>();

/** `::: httpx.Client`: mkdocstrings renders the object's documentation, anchored at its identifier. */
const MKDOCSTRINGS = /^ {0,3}:::[ \t]+([A-Za-z_][\w.]*)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The identifiers of a note's `::: identifier` lines outside fences. Read from
 * the text, not the tree: the fast scanner hands over only blocks that may hold links.
 */
function mkdocstringsIdentifiers(text: string): string[] {
  if (!text.includes(':::')) return [];
  const found: string[] = [];
  let fence: string | undefined;
  for (const line of text.split('\n')) {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const directive = MKDOCSTRINGS.exec(line.replace(/\r$/, ''));
    if (directive) found.push(directive[1]!);
  }
  return found;
}

export function summarizeNote(note: Note): NoteSummary {
  const cached = cache.get(note);
  if (cached) return cached;
  const collected = collectLinks(note);
  const headings: Root = { type: 'root', children: collected.headings };
  const anchors: AnchorInfo[] = headingAnchors(headings).map((heading) => ({
    slug: heading.slug,
    line: heading.line,
    column: heading.column,
    display: `${'#'.repeat(heading.depth)} ${heading.text}`,
  }));
  anchors.push(...collected.htmlAnchors);
  const defined = new Set(collected.definitions.map((definition) => definition.identifier));
  const undefinedReferences: UndefinedReferenceAt[] = [];
  const used = new Set([...collected.usedIdentifiers, ...collected.htmlReferenceLabels]);
  for (const { block, layer } of collected.phrasingBlocks) {
    const scan = scanReferences(layer.source, block, defined, collected.hasContainers);
    for (const use of scan.used) if (!layer.inBody(pointAt(collected.lineStarts, layer.toNoteOffset(use.offset)).line)) used.add(use.identifier);
    for (const found of scan.undefinedReferences) {
      const point = pointAt(collected.lineStarts, layer.toNoteOffset(found.offset));
      // A paragraph may run on into a container body (CommonMark's reading): that text is the body's.
      if (layer.inBody(point.line)) continue;
      undefinedReferences.push({ label: found.label, identifier: found.identifier, text: found.text, line: point.line, column: point.column });
    }
  }
  const autorefIds = mkdocstringsIdentifiers(note.text);
  const summary: NoteSummary = {
    path: note.path,
    relPath: note.relPath,
    links: collected.links,
    definitions: collected.definitions,
    usedIdentifiers: [...used],
    undefinedReferences,
    anchors,
    autorefIds,
    lineCount: countLines(note.text),
    parseProblems: note.file.messages.filter((m) => m.ruleId === NESTING_RULE).map((m) => ({ line: m.line ?? 1, column: m.column ?? 1, reason: m.reason, ruleId: NESTING_RULE })),
  };
  cache.set(note, summary);
  return summary;
}
