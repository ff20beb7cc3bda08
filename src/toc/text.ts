/** Small text helpers shared by the TOC and index modules. Pure functions. */
export type Eol = '\n' | '\r\n';

/** The file's line ending: the one its first line break uses; LF for a file without any. */
export function detectEol(text: string): Eol {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** Offset of the first character of the line that contains `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/**
 * Escape plain text so that it reads back as the same plain text inside the
 * text of a link (or a list item): brackets and backslashes always, and the
 * characters that would otherwise open emphasis, code, HTML or an entity.
 * Intraword underscores (`snake_case`) stay as they are, as GitHub does not
 * read them as emphasis.
 */
export function escapeInline(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[\\[\]`*<]/g, (ch) => `\\${ch}`)
    .replace(/_/g, (ch, index: number, whole: string) =>
      /[\p{L}\p{N}]/u.test(whole[index - 1] ?? '') && /[\p{L}\p{N}]/u.test(whole[index + 1] ?? '') ? ch : `\\${ch}`,
    )
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}
