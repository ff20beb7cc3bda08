/**
 * The files a note's verdicts depend on besides its own text: files its
 * examples include, scripts it links (they run as tests), and local files its
 * links point at (the links case checks them). Watch mode reruns the note when
 * one of them changes.
 */
import path from 'node:path';
import { collectLinks } from '../links/collect.ts';
import { parseLinkUrl } from '../links/url.ts';
import type { Note } from '../markdown/parse.ts';
import type { NotePlan } from '../plan/types.ts';

/** Absolute paths inside `root`, sorted, without the note itself. */
export function noteDependencies(note: Note, plan: NotePlan, root: string): string[] {
  const base = path.resolve(root);
  const self = path.resolve(note.path);
  const files = new Set<string>();
  const add = (file: string) => {
    const absolute = path.resolve(file);
    const rel = path.relative(base, absolute);
    if (absolute !== self && rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) files.add(absolute);
  };
  for (const item of plan.items) {
    if (item.kind === 'example' && item.include) add(path.join(base, item.include.resolved));
    if (item.kind === 'script') add(path.join(base, item.path));
    // A folder's kb.setup.py runs before the note's Python examples.
    if (item.kind === 'example' || item.kind === 'claim') for (const part of item.setup) if (part.file) add(path.join(base, part.file));
  }
  for (const link of collectLinks(note).links) {
    const url = parseLinkUrl(link.url);
    if (url.kind !== 'path' || url.path === '') continue;
    add(url.rootRelative ? path.join(base, url.path) : path.resolve(path.dirname(self), url.path));
  }
  return [...files].sort();
}
