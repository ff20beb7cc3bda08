/**
 * Where the persistent cache lives: `node_modules/.cache/kb-doctest/` of the
 * nearest folder holding `node_modules` (the convention of babel, eslint,
 * vite), one subfolder per knowledge-base root so two roots never share
 * entries; the system's temporary folder when no `node_modules` is found.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digest } from './fingerprint.ts';

export function defaultCacheDir(root: string): string {
  const absolute = path.resolve(root);
  const sub = digest(absolute).slice(0, 16);
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules'))) return path.join(dir, 'node_modules', '.cache', 'kb-doctest', sub);
    if (path.dirname(dir) === dir) break;
  }
  return path.join(os.tmpdir(), 'kb-doctest-cache', sub);
}
