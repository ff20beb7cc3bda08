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
  if (!content.includes('`')) return simpleEmphasis(content);
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

const WORD = /[\p{L}\p{N}]/u;
const CLOSER_FOLLOW = /^[\s.,:;!?)]?$/u;

/**
 * Text whose only markup is plain emphasis: `*a b*`, `**a**`, `_a_`, each
 * opener at the start or after a space and before a letter or digit, each
 * closer after a letter or digit and before a space, the end or `.,:;!?)`.
 * Such runs can only open (resp. only close), so CommonMark pairs them in
 * order; `_` between two letters is literal. Anything else: undefined.
 */
function simpleEmphasis(content: string): string | undefined {
  const runs: Array<{ index: number; run: string }> = [];
  for (const match of content.matchAll(/[*_]+/g)) {
    const index = match.index ?? 0;
    const run = match[0];
    const before = content[index - 1] ?? '';
    const after = content[index + run.length] ?? '';
    if (run[0] === '_' && /^_+$/.test(run) && WORD.test(before) && WORD.test(after)) continue;
    runs.push({ index, run });
  }
  if (runs.length % 2 !== 0) return undefined;
  for (let k = 0; k < runs.length; k += 2) {
    const open = runs[k] as { index: number; run: string };
    const close = runs[k + 1] as { index: number; run: string };
    if (open.run !== close.run || !/^(\*{1,2}|_{1,2})$/.test(open.run)) return undefined;
    const openBefore = content[open.index - 1] ?? ' ';
    const openAfter = content[open.index + open.run.length] ?? '';
    const closeBefore = content[close.index - 1] ?? '';
    const closeAfter = content[close.index + close.run.length] ?? '';
    if (openBefore !== ' ' || !WORD.test(openAfter) || !WORD.test(closeBefore) || !CLOSER_FOLLOW.test(closeAfter)) return undefined;
  }
  let out = '';
  let last = 0;
  for (const { index, run } of runs) {
    out += content.slice(last, index);
    last = index + run.length;
  }
  out += content.slice(last);
  const literal = out.replace(/_/g, '');
  return INLINE_SPECIAL.test(literal) ? undefined : out;
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
