/**
 * Where the persistent cache lives: `node_modules/.cache/kb-doctest/` beside the
 * nearest `package.json` (the convention of babel, eslint, vite), one subfolder
 * per knowledge-base root so two roots never share entries; the system's
 * temporary folder when no `package.json` is found.
 *
 * The place is chosen by `package.json`, not by whether a `node_modules` folder
 * exists: vitest creates `node_modules/.vite` in a folder that had none, and a
 * choice that followed it would move the cache between the first and second run
 * (the second run would miss and write everything again).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digest } from './fingerprint.ts';

export function defaultCacheDir(root: string): string {
  const absolute = path.resolve(root);
  const sub = digest(absolute).slice(0, 16);
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'node_modules', '.cache', 'kb-doctest', sub);
    if (path.dirname(dir) === dir) break;
  }
  return path.join(os.tmpdir(), 'kb-doctest-cache', sub);
}
