/**
 * Annotations are HTML comments, so notes render cleanly on GitHub:
 *
 *   <!-- claim ID [cite=URL]... -->        the sentence/block before it is a claim
 *   <!-- claim ID [options]                (block form) a hidden Python check follows
 *   assert ...
 *   -->
 *   <!-- check ID [options] ... -->        a hidden Python check for claim ID
 *   <!-- setup --> / <!-- teardown -->     hidden code run before/after the section's examples
 *   <!-- include PATH [lines=A-B] [region=NAME] -->   binds the next fence to a file
 *
 * Comments that start with any other word are ordinary comments.
 */
import { tokenizeOptions, type RawOption } from './info-string.ts';

export type AnnotationKind = 'claim' | 'check' | 'setup' | 'teardown' | 'include';

export const ANNOTATION_KINDS: readonly AnnotationKind[] = ['claim', 'check', 'setup', 'teardown', 'include'];

export interface Annotation {
  kind: AnnotationKind;
  /** First word after the keyword (claim id, include path), if any. */
  argument?: string;
  options: RawOption[];
  /** Code after the first line, if any. */
  body?: string;
  /** 0-based line offset of the body's first line from the comment's first line. */
  bodyLineOffset: number;
  /** Column offset (0-based) of the options text inside the first line, for diagnostics. */
  headerOffset: number;
}

export interface AnnotationError {
  message: string;
  /** 0-based offset into the first line of the comment. */
  offset: number;
}

const COMMENT = /^<!--([\s\S]*?)-->\s*$/;

/** `undefined` for a comment that is not an annotation (or not a comment at all). */
export function parseAnnotation(html: string): { annotation?: Annotation; error?: AnnotationError } | undefined {
  const match = COMMENT.exec(html.trim());
  if (!match) return undefined;
  const inner = match[1]!;
  const keyword = /^\s*([a-z]+)(:?)/.exec(inner);
  if (!keyword || !(ANNOTATION_KINDS as readonly string[]).includes(keyword[1]!)) return undefined;
  const kind = keyword[1] as AnnotationKind;
  const leading = html.length - html.trimStart().length;
  const headerStart = 4 + keyword[0].length;
  const newline = inner.indexOf('\n');
  const header = newline === -1 ? inner.slice(keyword[0].length) : inner.slice(keyword[0].length, newline);
  const bodyText = newline === -1 ? undefined : inner.slice(newline + 1);
  // A character right after the keyword (other than ':' or space) means a different word, e.g. `<!-- claims -->`.
  if (header.length > 0 && !/^\s/.test(header)) return undefined;
  const headerOffset = leading + headerStart;
  let rest = header;
  let restOffset = 0;
  let includePath: string | undefined;
  if (kind === 'include') {
    // Paths contain `/` and other characters option keys may not; read the first word raw.
    const path = /^(\s*)("([^"]*)"|(\S+))/.exec(header);
    if (path) {
      includePath = path[3] ?? path[4];
      restOffset = path[0].length;
      rest = header.slice(restOffset);
    }
  }
  const tokens = tokenizeOptions(rest);
  if (tokens.error) {
    return { error: { message: `malformed \`${kind}\` annotation: ${tokens.error.message}`, offset: headerOffset + restOffset + tokens.error.offset } };
  }
  const options = tokens.options.map((o) => ({ ...o, offset: o.offset + headerOffset + restOffset }));
  let argument: string | undefined = includePath;
  if (kind !== 'include' && options[0] && options[0].value === true && kind !== 'setup' && kind !== 'teardown') {
    argument = options.shift()!.key;
  }
  let body: string | undefined;
  if (bodyText !== undefined) {
    const lines = bodyText.split(/\r?\n/);
    // The closing `-->` sits on its own line (drop that line) or ends the last code line.
    if (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    body = lines.join('\n');
    if (body.trim() === '') body = undefined;
  }
  return { annotation: { kind, argument, options, body, bodyLineOffset: 1, headerOffset } };
}
