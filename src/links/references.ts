/**
 * Reference-style links: undefined references, unused and duplicate
 * definitions. remark turns `[text][label]` into a `linkReference` only when
 * `label` is defined; an undefined one stays plain text, so it is found by
 * scanning the source of each paragraph, heading and table cell, with code,
 * raw HTML and real links blanked out first.
 */
import type { Node as UnistNode } from 'unist';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { report } from '../diagnostics/index.ts';
import type { DefinitionInfo, PhrasingBlock } from './collect.ts';
import type { NoteSummary } from './summary.ts';
import { closest } from './suggest.ts';
import { slug } from '../markdown/slug.ts';

export interface UndefinedReference {
  label: string;
  identifier: string;
  /** The whole `[text][label]` as written. */
  text: string;
  offset: number;
}

/** mdast's identifier of a label: whitespace collapsed, trimmed, case-folded. */
export function normalizeLabel(label: string): string {
  return label.replace(/[\t\n\r ]+/g, ' ').trim().toLowerCase().toUpperCase().toLowerCase();
}

const MASKED = new Set(['inlineCode', 'html', 'link', 'image', 'linkReference', 'imageReference', 'footnoteReference', 'inlineMath']);
const FULL_OR_COLLAPSED = /(?<!\\)!?\[((?:\\.|[^\\[\]])*)\]\[((?:\\.|[^\\[\]])*)\]/g;

/** `[text][label]` and `[label][]` in a block whose label has no definition. */
export function findUndefinedReferences(source: string, block: PhrasingBlock, defined: ReadonlySet<string>): UndefinedReference[] {
  const start = block.position?.start.offset;
  const end = block.position?.end.offset;
  if (start === undefined || end === undefined) return [];
  let text = source.slice(start, end);
  if (!text.includes('][')) return [];
  text = mask(text, start, block.children as UnistNode[]);
  const found: UndefinedReference[] = [];
  for (const match of text.matchAll(FULL_OR_COLLAPSED)) {
    const label = match[2] === '' ? match[1]! : match[2]!;
    if (label.trim() === '' || label.startsWith('^') || label.length > 999) continue;
    const identifier = normalizeLabel(label);
    if (defined.has(identifier)) continue;
    found.push({ label, identifier, text: match[0], offset: start + match.index });
  }
  return found;
}

/** Blank (with spaces, keeping newlines and length) every node that is not plain text for this purpose. */
function mask(text: string, base: number, children: readonly UnistNode[]): string {
  const ranges: Array<[number, number]> = [];
  const walk = (nodes: readonly UnistNode[]): void => {
    for (const node of nodes) {
      const position = node.position;
      if (MASKED.has(node.type)) {
        if (position?.start.offset !== undefined && position.end.offset !== undefined) {
          ranges.push([position.start.offset - base, position.end.offset - base]);
        }
      } else if ('children' in node && Array.isArray(node.children)) {
        walk(node.children as UnistNode[]);
      }
    }
  };
  walk(children);
  if (ranges.length === 0) return text;
  let out = '';
  let last = 0;
  for (const [from, to] of ranges) {
    out += text.slice(last, from) + text.slice(from, to).replace(/[^\n]/g, ' ');
    last = to;
  }
  return out + text.slice(last);
}

/** What references need from the whole site: see `LinkIndex`. */
export interface AutorefSite {
  /** A `siteRoot` is configured: the notes are an mkdocs-style site, where an undefined `[x][a.b]` may be an autoref. */
  site: boolean;
  autorefs: boolean;
  autorefTargets(): ReadonlySet<string>;
}

/** `httpx.Client`, `` `typer.Typer` ``, `os.path.join()`: an mkdocstrings identifier. */
const IDENTIFIER = /^`?[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?`?$/;

/** The label an autoref resolves: the identifier without backticks and call parentheses. */
function autorefLabel(label: string): string {
  return label.replace(/^`|`$/g, '').replace(/\(\)$/, '');
}

/** Whether an undefined `[text][label]` names a heading or object anywhere on the site, as an mkdocs autoref would. */
function resolvesAsAutoref(label: string, site: AutorefSite): boolean {
  const targets = site.autorefTargets();
  const plain = autorefLabel(label.trim());
  return targets.has(plain) || targets.has(slug(plain));
}

export function checkReferences(file: VFile, summary: NoteSummary, site?: AutorefSite): VFileMessage[] {
  const messages: VFileMessage[] = [];
  const first = new Map<string, DefinitionInfo>();
  for (const definition of summary.definitions) {
    const place = { line: definition.line, column: definition.column };
    const earlier = first.get(definition.identifier);
    if (earlier) {
      const reason = `Definition \`[${definition.label}]\` repeats the one on line ${earlier.line}, which wins; this one is never used`;
      messages.push(report(file, reason, place, 'duplicate-definition'));
    } else {
      first.set(definition.identifier, definition);
    }
  }
  const used = new Set(summary.usedIdentifiers);
  for (const definition of first.values()) {
    if (!used.has(definition.identifier)) {
      const place = { line: definition.line, column: definition.column };
      messages.push(report(file, `Definition \`[${definition.label}]\` is never used`, place, 'unused-definition'));
    }
  }
  for (const found of summary.undefinedReferences) {
    if (site && (site.site || site.autorefs) && !first.has(found.identifier)) {
      const looksLikeAutoref = IDENTIFIER.test(found.label.trim()) || resolvesAsAutoref(found.label, site);
      if (looksLikeAutoref && !site.autorefs) continue;
      if (site.autorefs && resolvesAsAutoref(found.label, site)) continue;
      if (site.autorefs && looksLikeAutoref) {
        const reason = `Autoref \`[${found.label}]\` in \`${found.text}\` names no heading anchor and no mkdocstrings \`::: ${autorefLabel(found.label.trim())}\` in any note`;
        messages.push(report(file, reason, { line: found.line, column: found.column }, 'undefined-autoref'));
        continue;
      }
    }
    const suggestion = closest(found.identifier, first.values(), (definition) => definition.identifier);
    const hint = suggestion ? `; did you mean \`[${suggestion.label}]\` (line ${suggestion.line})?` : '';
    const reason = `No definition for reference \`[${found.label}]\` in \`${found.text}\`${hint}`;
    messages.push(report(file, reason, { line: found.line, column: found.column }, 'undefined-reference'));
  }
  return messages;
}
