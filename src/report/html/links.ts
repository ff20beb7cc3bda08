/**
 * Links of a note, rewritten for the one-page report: `#heading` points at the
 * heading's id inside this note's section, a link to another note of the page
 * at that note's section, any other relative path at the file (relative to
 * the page's folder). URLs with a scheme are left to the sanitizer, which
 * keeps http(s), mailto and a few others and drops the rest (`javascript:`).
 */
import path from 'node:path';

export interface NoteAnchor {
  /** Id of the note's section on the page. */
  id: string;
  /** Prefix of every id inside the note's rendering. */
  prefix: string;
}

export interface LinkContext {
  /** This note, relative to the knowledge base root, with `/`. */
  notePath: string;
  anchors: Map<string, NoteAnchor>;
  /** From the page's folder to the knowledge base root, with `/` (e.g. `../..`). */
  pageToRoot: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

export function rewriteUrl(url: string, context: LinkContext): string {
  if (SCHEME.test(url) || url.startsWith('//')) return url;
  const hash = url.indexOf('#');
  const pathPart = hash === -1 ? url : url.slice(0, hash);
  const fragment = hash === -1 ? '' : url.slice(hash + 1);
  const own = context.anchors.get(context.notePath);
  if (pathPart === '') return own ? `#${own.prefix}${fragment}` : url;
  let decoded: string;
  try {
    decoded = decodeURI(pathPart);
  } catch {
    decoded = pathPart;
  }
  const target = decoded.startsWith('/')
    ? path.posix.normalize(decoded.slice(1))
    : path.posix.normalize(path.posix.join(path.posix.dirname(context.notePath), decoded));
  const other = context.anchors.get(target);
  if (other) return fragment ? `#${other.prefix}${fragment}` : `#${other.id}`;
  return `${path.posix.join(context.pageToRoot, encodeURI(target))}${fragment ? `#${fragment}` : ''}`;
}
