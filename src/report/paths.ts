/**
 * The report never shows where the project sits on the machine that ran it:
 * every message (runner output, tracebacks, vitest errors) has the root's
 * absolute path rewritten to paths relative to the root, so a report from CI
 * reads the same as one from a laptop and leaks no home folder.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type Relativize = (text: string) => string;

export function rootRelativizer(root: string): Relativize {
  const roots = new Set([path.resolve(root)]);
  try {
    roots.add(realpathSync(root));
  } catch {
    // A root that does not exist has no other spelling.
  }
  // Longest first, so `/a/b` is not cut out of `/a/bc` before `/a/bc` is seen; file: URLs before plain paths.
  const prefixes = [...roots]
    .filter((r) => r !== path.parse(r).root)
    .flatMap((r) => [`${pathToFileURL(r).href}/`, `${r}${path.sep}`])
    .sort((a, b) => b.length - a.length);
  const bare = [...roots].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const prefix of prefixes) out = out.split(prefix).join('');
    // The root alone (e.g. "/home/me/kb has no notes/ folder") reads as `.`.
    for (const r of bare) out = out.replace(new RegExp(`${escape(r)}(?![\\w.-])`, 'g'), '.');
    return out;
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
