/**
 * An example's host folders (shell examples, JavaScript lanes): a working
 * folder, HOME, TMPDIR and the runner's own files, inside this run's folder
 * (cleanup.ts), removed when the example or session ends and in any case when
 * the run ends.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { removeAtExit, removeDir, runFolder } from './cleanup.ts';

export interface Sandbox {
  base: string;
  /** The example's working directory: empty when the example starts. */
  work: string;
  home: string;
  tmp: string;
  /** Runner files (scripts, status, saved session state). */
  meta: string;
  remove(): void;
}

export function makeSandbox(prefix: string): Sandbox {
  const base = mkdtempSync(path.join(runFolder(), prefix));
  const forget = removeAtExit(base);
  const sub = (name: string) => {
    const dir = path.join(base, name);
    mkdirSync(dir);
    return dir;
  };
  return {
    base,
    work: sub('work'),
    home: sub('home'),
    tmp: sub('tmp'),
    meta: sub('meta'),
    remove() {
      forget();
      removeDir(base);
    },
  };
}
