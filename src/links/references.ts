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

/** A `[label]` alone: not preceded by `]` or `\\`, not followed by a label or a destination. */
const SHORTCUT = /(?<![\\\]])!?\[((?:\\.|[^\\[\]])+)\](?![[(])/g;

export interface ReferenceScan {
  /** `[text][label]` and `[label][]` whose label has no definition. */
  undefinedReferences: UndefinedReference[];
  /** Defined identifiers the block uses in text the parse left plain (`usesInText`), with their offsets. */
  used: Array<{ identifier: string; offset: number }>;
}

/**
 * `[text][label]` and `[label][]` in a block whose label has no definition.
 * With `usesInText`, also the defined labels the block uses (full, collapsed
 * or shortcut) that stayed text: a reference inside an mkdocs container body
 * whose definition is outside it (or the reverse) is parsed apart from it, so
 * remark never makes it a `linkReference`; the site resolves it.
 */
export function scanReferences(source: string, block: PhrasingBlock, defined: ReadonlySet<string>, usesInText = false): ReferenceScan {
  const scan: ReferenceScan = { undefinedReferences: [], used: [] };
  const start = block.position?.start.offset;
  const end = block.position?.end.offset;
  if (start === undefined || end === undefined) return scan;
  let text = source.slice(start, end);
  const full = text.includes('][');
  if (!full && !(usesInText && text.includes('['))) return scan;
  text = mask(text, start, block.children as UnistNode[]);
  for (const match of text.matchAll(FULL_OR_COLLAPSED)) {
    const label = match[2] === '' ? match[1]! : match[2]!;
    if (label.trim() === '' || label.startsWith('^') || label.length > 999) continue;
    const identifier = normalizeLabel(label);
    if (defined.has(identifier)) {
      scan.used.push({ identifier, offset: start + match.index });
      continue;
    }
    scan.undefinedReferences.push({ label, identifier, text: match[0], offset: start + match.index });
  }
  if (usesInText) {
    for (const match of text.matchAll(SHORTCUT)) {
      const identifier = normalizeLabel(match[1]!);
      if (defined.has(identifier)) scan.used.push({ identifier, offset: start + match.index });
    }
  }
  return scan;
}

/**
 * The labels `[text][label]`, `[label][]` and `[label]` name in raw HTML the
 * site renders as Markdown or expands: an element with a `markdown` attribute
 * (md_in_html), or a comment (a site's macros, such as `<!-- md:default [x][y] -->`,
 * or text commented out for later). Their definitions are used, not orphans.
 */
export function referenceLabelsInHtml(html: string): string[] {
  if (!html.includes('[')) return [];
  const comment = /^\s*<!--/.test(html);
  if (!comment && !/^\s*<[A-Za-z][^>]*\smarkdown(?:\s*=\s*["']?(?:1|block|span)["']?)?[\s/>]/.test(html)) return [];
  const labels: string[] = [];
  for (const match of html.matchAll(FULL_OR_COLLAPSED)) labels.push(normalizeLabel(match[2] === '' ? match[1]! : match[2]!));
  for (const match of html.matchAll(SHORTCUT)) labels.push(normalizeLabel(match[1]!));
  return labels.filter((label) => label !== '');
}

/** `[text][label]` and `[label][]` in a block whose label has no definition. */
export function findUndefinedReferences(source: string, block: PhrasingBlock, defined: ReadonlySet<string>): UndefinedReference[] {
  return scanReferences(source, block, defined).undefinedReferences;
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
      // The same destination again changes nothing on any renderer (sites repeat definitions per section).
      if (earlier.url === definition.url && (earlier.title ?? '') === (definition.title ?? '')) continue;
      const what = earlier.url === definition.url ? 'another title' : `another destination (\`${earlier.url}\` there, \`${definition.url}\` here)`;
      const reason = `Definition \`[${definition.label}]\` repeats the one on line ${earlier.line} with ${what}: GitHub and CommonMark use the first, mkdocs (Python-Markdown) the last; keep one, or give this one its own label`;
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
