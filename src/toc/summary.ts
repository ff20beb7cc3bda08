/** A note's title and one-line summary, as the knowledge-base index shows them. */
import path from 'node:path';
import type { Paragraph, Yaml } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parse as parseYaml } from 'yaml';
import type { Note } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';

export const SUMMARY_MAX = 160;

/** The first heading's plain text; the file name without `.md` when the note has no heading. */
export function noteTitle(note: Note): string {
  let title = '';
  for (const node of note.tree.children) {
    if (node.type === 'heading') {
      title = headingText(node);
      break;
    }
  }
  return title || path.basename(note.path).replace(/\.md$/i, '');
}

/** The front matter's `summary:` string, if any (invalid YAML is left to other checks). */
function frontMatterSummary(note: Note): string | undefined {
  const yamlNode = note.tree.children.find((node): node is Yaml => node.type === 'yaml');
  if (!yamlNode || !/(^|\n)summary\s*:/.test(yamlNode.value)) return undefined;
  try {
    const data: unknown = parseYaml(yamlNode.value);
    const summary = data && typeof data === 'object' ? (data as Record<string, unknown>).summary : undefined;
    return typeof summary === 'string' && summary.trim() !== '' ? summary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The first sentence: up to the first `.`, `!` or `?` that is followed by
 * white space and an upper-case letter, a digit or a quote (so `vs. x`,
 * `e.g. y` and `1.5` do not end it), or by the end of the text.
 */
export function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = /[.!?](?=\s+[\p{Lu}\p{N}"'“(]|$)/u.exec(flat);
  return end ? flat.slice(0, end.index + 1) : flat;
}

/** Cut at a word boundary so the result is at most `max` characters, ending in `…` when cut. */
export function truncate(text: string, max = SUMMARY_MAX): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

/** Front matter `summary:`, else the first sentence of the first top-level paragraph; trimmed to ~160 chars. */
export function noteSummary(note: Note): string {
  const fromFrontMatter = frontMatterSummary(note);
  if (fromFrontMatter !== undefined) return truncate(fromFrontMatter.replace(/\s+/g, ' ').trim());
  const paragraph = note.tree.children.find((node): node is Paragraph => node.type === 'paragraph');
  if (!paragraph) return '';
  return truncate(firstSentence(toString(paragraph, { includeImageAlt: true, includeHtml: false })));
}
