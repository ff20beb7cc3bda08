/**
 * Inline text for the scanner outline: plain text read directly when there is
 * no markup (or only code spans), else from one shared parse of many blocks.
 */
import type { Heading, Paragraph } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseMarkdown } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';

/** Characters that may start inline markup; text without them is its own plain text. */
const INLINE_SPECIAL = /[\\`*_[\]<~]|!\[|&#?[A-Za-z0-9]+;/;

export interface Pending {
  /** Markdown of the block, parsed on its own (its inline content does not depend on anything else). */
  source: string;
  node: Heading | Paragraph;
}

/**
 * Plain text of the blocks whose inline content has markup, from ONE parse of
 * their sources separated by blank lines (a parse costs mostly per document,
 * so the CLI resolves the blocks of many notes at once). Returns false when
 * brackets survive into a text: they may be references to definitions
 * elsewhere in the note.
 */
export function resolvePending(pending: readonly Pending[]): boolean[] | undefined {
  if (pending.length === 0) return [];
  const mini = parseMarkdown(pending.map((p) => p.source).join('\n\n'));
  if (mini.children.length !== pending.length) return undefined;
  return pending.map(({ source, node }, index) => {
    const parsed = mini.children[index];
    if (parsed?.type !== node.type) return false;
    const text = parsed.type === 'heading' ? headingText(parsed) : toString(parsed, { includeImageAlt: true, includeHtml: false });
    if (/[[\]]/.test(source) && /[[\]]/.test(text)) return false;
    node.children = [{ type: 'text', value: text }];
    return true;
  });
}

export const allResolved = (pending: readonly Pending[]): boolean => resolvePending(pending)?.every(Boolean) ?? false;

/**
 * Plain text of inline content without markup, or with single-backtick code
 * spans only (`a` → a; one space trimmed on both sides as CommonMark does);
 * undefined when it needs a real parse.
 */
export function simplePlainText(content: string): string | undefined {
  if (!INLINE_SPECIAL.test(content)) return content;
  if (content.includes('``')) return undefined;
  let out = '';
  let last = 0;
  for (const match of content.matchAll(/`([^`]+)`/g)) {
    const outside = content.slice(last, match.index);
    if (INLINE_SPECIAL.test(outside)) return undefined;
    const code = match[1] as string;
    out += outside + (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim() !== '' ? code.slice(1, -1) : code);
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = content.slice(last);
  return INLINE_SPECIAL.test(tail) ? undefined : out + tail;
}

/** Text of an ATX heading when it has no inline markup; undefined when it needs a parse. */
export function atxPlainText(lineText: string): string | undefined {
  const content = lineText
    .replace(/^ {0,3}#{1,6}/, '')
    .replace(/^[ \t]+/, '')
    .replace(/(^|[ \t]+)#+[ \t]*$/, '')
    .replace(/[ \t]+$/, '');
  return simplePlainText(content)?.trim();
}
