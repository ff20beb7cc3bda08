/**
 * What a link's URL points at, decided from the string alone (no disk access).
 * Pure functions; `resolve.ts` turns a local URL into a file on disk.
 */

export type LinkUrl =
  /** `[x]()` */
  | { kind: 'empty' }
  /** `#anchor` in the same note. `fragment` is decoded; `rawFragment` is as written. */
  | { kind: 'fragment'; fragment: string; rawFragment: string }
  /** http(s) or protocol-relative `//host/path`. */
  | { kind: 'web'; url: string }
  /** mailto:, tel:, ftp:, data:, … — never checked. */
  | { kind: 'other-scheme'; scheme: string }
  /** A path in the repository: relative to the note, or to the root when it starts with `/`. */
  | {
      kind: 'path';
      /** Decoded path without query and fragment. */
      path: string;
      /** The path as written (still percent-encoded). */
      rawPath: string;
      rootRelative: boolean;
      /** Query without `?`, or undefined. */
      query: string | undefined;
      /** Decoded fragment without `#`, or undefined when there is no `#`. */
      fragment: string | undefined;
      rawFragment: string | undefined;
    };

const SCHEME = /^([a-z][a-z\d+.-]*):/i;

/** `decodeURIComponent`, but a malformed escape leaves the text as written. */
export function safeDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function parseLinkUrl(url: string): LinkUrl {
  const value = url.trim();
  if (value === '') return { kind: 'empty' };
  if (value.startsWith('#')) {
    const rawFragment = value.slice(1);
    return { kind: 'fragment', fragment: safeDecode(rawFragment), rawFragment };
  }
  if (value.startsWith('//')) return { kind: 'web', url: `https:${value}` };
  const scheme = SCHEME.exec(value);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    // A Windows drive letter (`C:\x`) is not a scheme, but it is not a repository path either.
    if (name === 'http' || name === 'https') return { kind: 'web', url: value };
    return { kind: 'other-scheme', scheme: name };
  }
  const hash = value.indexOf('#');
  const beforeHash = hash === -1 ? value : value.slice(0, hash);
  const rawFragment = hash === -1 ? undefined : value.slice(hash + 1);
  const question = beforeHash.indexOf('?');
  const rawPath = question === -1 ? beforeHash : beforeHash.slice(0, question);
  const query = question === -1 ? undefined : beforeHash.slice(question + 1);
  if (rawPath === '') {
    // `?plain=1#L3`: the note itself.
    return {
      kind: 'path',
      path: '',
      rawPath,
      rootRelative: false,
      query,
      fragment: rawFragment === undefined ? undefined : safeDecode(rawFragment),
      rawFragment,
    };
  }
  return {
    kind: 'path',
    path: safeDecode(rawPath),
    rawPath,
    rootRelative: rawPath.startsWith('/'),
    query,
    fragment: rawFragment === undefined ? undefined : safeDecode(rawFragment),
    rawFragment,
  };
}

/** `L10`, `L10-L20`, `L10C2-L12C5` (GitHub's line anchors). */
export interface LineFragment {
  start: number;
  end: number | undefined;
}

const LINE_FRAGMENT = /^L(\d+)(?:C\d+)?(?:-L(\d+)(?:C\d+)?)?$/;

export function parseLineFragment(fragment: string): LineFragment | undefined {
  const match = LINE_FRAGMENT.exec(fragment);
  if (!match) return undefined;
  return { start: Number(match[1]), end: match[2] === undefined ? undefined : Number(match[2]) };
}

/** True for `?plain=1` (GitHub's source view of a Markdown file, where line anchors work). */
export function isPlainView(query: string | undefined): boolean {
  return query !== undefined && new URLSearchParams(query).get('plain') === '1';
}

const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkdn', '.mkd', '.mdwn']);

export function isMarkdownPath(filePath: string): boolean {
  const dot = filePath.lastIndexOf('.');
  return dot !== -1 && MARKDOWN_EXTENSIONS.has(filePath.slice(dot).toLowerCase());
}

export function isHtmlPath(filePath: string): boolean {
  return /\.x?html?$/i.test(filePath);
}
