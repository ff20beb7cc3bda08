/** Messages name files from the project root, whatever spelling of the root they carry. */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rootRelativizer } from '../../src/report/paths.ts';

describe('rootRelativizer', () => {
  const relativize = rootRelativizer('/home/me/kb');

  it.each([
    ['File "/home/me/kb/notes/a.md", line 3', 'File "notes/a.md", line 3'],
    ['at /home/me/kb/notes/a.md:12:1', 'at notes/a.md:12:1'],
    ['see file:///home/me/kb/notes/a.md#L2', 'see notes/a.md#L2'],
    ['/home/me/kb has no notes/ folder', '. has no notes/ folder'],
    // Another folder that starts with the root's name is not the root.
    ['/home/me/kb2/notes/a.md and /home/me/kbx', '/home/me/kb2/notes/a.md and /home/me/kbx'],
    ['nothing to do', 'nothing to do'],
  ])('%s', (text, expected) => {
    expect(relativize(text)).toBe(expected);
  });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-paths-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('also rewrites the real path of a root reached through a symlink', () => {
    const real = path.join(dir, 'real');
    const link = path.join(dir, 'link');
    mkdirSync(real);
    symlinkSync(real, link);
    const r = rootRelativizer(link);
    expect(r(`${real}/notes/a.md and ${link}/notes/b.md and ${pathToFileURL(real).href}/c.md`)).toBe('notes/a.md and notes/b.md and c.md');
  });
});
