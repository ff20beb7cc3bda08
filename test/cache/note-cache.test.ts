/**
 * The persistent note cache never changes an answer: after each change to
 * something a note's result depends on, a run with a warm cache produces the
 * same module (plan + structural verdicts) as a run without a cache, and a
 * run with nothing changed is served from the cache.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kbNotes } from '../../src/vitest/plugin.ts';
import { NoteCache } from '../../src/cache/note-cache.ts';
import { readCompiledNote } from '../../src/vitest/note-tests.ts';

let root: string;
let cacheDir: string;

const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};

/** One run of the plugin's transform over a note, as a fresh vitest process would do it. */
async function transform(rel: string, cache: string | false): Promise<{ code: string; module: string; watched: string[]; stats?: NoteCache<unknown>['stats'] }> {
  const plugin = kbNotes({ root, cache });
  await (plugin.config as (c: object) => Promise<unknown>)({});
  const watched: string[] = [];
  const result = await (plugin.load as (this: unknown, id: string) => Promise<{ code: string }>)
    .call({ addWatchFile: (f: string) => watched.push(path.relative(root, f)) }, path.join(root, rel));
  return { code: asRun(result.code), module: result.code, watched: watched.sort(), stats: (plugin.api as { cacheStats(): NoteCache<unknown>['stats'] | undefined }).cacheStats() };
}

const READS_SIDE_FILE = /^import \{ defineNoteTests as __defineNoteTests, readCompiledNote as __readCompiledNote \} from ("[^"]*"); const __kb = __defineNoteTests\(__readCompiledNote\(("[^"]*")\)\);/;

/** The module as it runs: with a cache, the compiled note it reads from a side file, put back in as a module without a cache carries it. */
function asRun(code: string): string {
  const reads = READS_SIDE_FILE.exec(code);
  if (!reads) return code;
  const compiled = readFileSync(JSON.parse(reads[2]!) as string, 'utf8');
  return code.replace(reads[0], `import { defineNoteTests as __defineNoteTests } from ${reads[1]}; const __kb = __defineNoteTests(JSON.parse(${JSON.stringify(compiled)}));`);
}

/** The side file a module with a cache reads its compiled note from. */
function sideFile(module: string): string {
  const reads = READS_SIDE_FILE.exec(module);
  if (!reads) throw new Error(`the module reads no side file:\n${module.slice(0, 300)}`);
  return JSON.parse(reads[2]!) as string;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'kb-cache-'));
  cacheDir = path.join(root, '.cache-under-test');
  write('package.json', '{"name":"kb-cache-fixture","private":true}\n');
  write('notes/a.md', '# A\n\nSee [b](b.md#first-heading), [data](data/table.csv), [folder](data/) and [script](run.py).\n\n<!-- include lib/greet.py -->\n```python\ndef greet():\n    return "hi"\n```\n');
  write('notes/b.md', '# B\n\n## First heading\n\ntext\n');
  write('notes/data/table.csv', 'a,b\n');
  write('notes/run.py', 'print("ok")\n');
  write('notes/lib/greet.py', 'def greet():\n    return "hi"\n');
  write('notes/README.md', '# Notes\n\n<!-- index -->\n<!-- indexstop -->\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const mutations: [string, () => void][] = [
  ['a linked note changes the heading the link points at', () => write('notes/b.md', '# B\n\n## Renamed heading\n\ntext\n')],
  ['a linked note is deleted', () => rmSync(path.join(root, 'notes/b.md'))],
  ['a linked file is deleted', () => rmSync(path.join(root, 'notes/data/table.csv'))],
  ['a linked folder is deleted', () => rmSync(path.join(root, 'notes/data'), { recursive: true })],
  ['a linked script is deleted', () => rmSync(path.join(root, 'notes/run.py'))],
  ['an included file changes', () => write('notes/lib/greet.py', 'def greet():\n    return "hello"\n')],
  ['an included file is deleted', () => rmSync(path.join(root, 'notes/lib/greet.py'))],
  ['a new note appears (the list of notes changes)', () => write('notes/c.md', '# C\n')],
  ['the configuration changes', () => write('package.json', '{"name":"kb-cache-fixture","private":true,"kb":{"network":true}}\n')],
];

describe('a warm cache gives the same module as no cache', () => {
  it.each(mutations)('%s', async (_what, mutate) => {
    const cold = await transform('notes/a.md', cacheDir);
    expect(cold.stats).toMatchObject({ misses: 1, writes: 1 });
    mutate();
    const warm = await transform('notes/a.md', cacheDir);
    const fresh = await transform('notes/a.md', false);
    expect(warm.code).toBe(fresh.code);
    expect(warm.watched).toEqual(fresh.watched);
    expect(warm.stats?.hits).toBe(0);
  });

  it('a broken link after the target changed is reported with the cache warm', async () => {
    expect((await transform('notes/a.md', cacheDir)).code).not.toContain('broken link');
    write('notes/b.md', '# B\n\n## Renamed heading\n');
    const warm = await transform('notes/a.md', cacheDir);
    expect(warm.code).toContain('broken link');
    expect(warm.code).toContain('first-heading');
  });

  it('a link to a missing file passes once the file is created', async () => {
    write('notes/a.md', '# A\n\n[later](later.md)\n');
    expect((await transform('notes/a.md', cacheDir)).code).toContain('broken link');
    write('notes/later.md', '# Later\n');
    expect((await transform('notes/a.md', cacheDir)).code).not.toContain('broken link');
  });

  it('the notes index is checked again when a note in a subfolder appears', async () => {
    // The notes index is opt-in: this project names it.
    write('package.json', '{"name":"kb-cache-fixture","private":true,"kb":{"index":"notes/README.md"}}\n');
    write('notes/README.md', '# Notes\n\n<!-- index -->\n- [A](a.md)\n- [B](b.md)\n<!-- indexstop -->\n');
    const cold = await transform('notes/README.md', cacheDir);
    write('notes/deeper/d.md', '# D\n');
    const warm = await transform('notes/README.md', cacheDir);
    expect(warm.code).toBe((await transform('notes/README.md', false)).code);
    expect(warm.code).not.toBe(cold.code);
  });
});

describe('an unchanged run is served from the cache', () => {
  it('hits, and gives the very same module', async () => {
    const cold = await transform('notes/a.md', cacheDir);
    const warm = await transform('notes/a.md', cacheDir);
    expect(warm.stats).toMatchObject({ hits: 1, misses: 0 });
    expect(warm.code).toBe(cold.code);
    expect(warm.watched).toEqual(cold.watched);
  });

  it('a corrupt entry is a miss, not an error', async () => {
    await transform('notes/a.md', cacheDir);
    const { readdirSync } = await import('node:fs');
    for (const entry of readdirSync(cacheDir)) writeFileSync(path.join(cacheDir, entry), '{"key": tru');
    const again = await transform('notes/a.md', cacheDir);
    expect(again.stats).toMatchObject({ hits: 0, misses: 1 });
    expect(again.code).toBe((await transform('notes/a.md', false)).code);
  });

  it('with a cache, the module reads the compiled note from the cache instead of carrying it', async () => {
    const cold = await transform('notes/a.md', cacheDir);
    expect(cold.module.length).toBeLessThan(cold.code.length);
    expect(cold.module).not.toContain('def greet');
    expect(path.dirname(sideFile(cold.module))).toBe(cacheDir);
    // Without a cache the module carries it, as before.
    expect((await transform('notes/a.md', false)).module).toContain('def greet');
  });

  it('an entry whose side file is gone is a miss, and the side file is written again', async () => {
    const cold = await transform('notes/a.md', cacheDir);
    rmSync(sideFile(cold.module));
    const again = await transform('notes/a.md', cacheDir);
    expect(again.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    expect(again.code).toBe(cold.code);
    expect(readFileSync(sideFile(again.module), 'utf8')).toContain('def greet');
  });

  it("a note's previous side file is removed when its entry is replaced", async () => {
    const cold = await transform('notes/a.md', cacheDir);
    write('notes/a.md', '# A changed\n');
    const changed = await transform('notes/a.md', cacheDir);
    const { existsSync, readdirSync } = await import('node:fs');
    expect(existsSync(sideFile(cold.module))).toBe(false);
    expect(existsSync(sideFile(changed.module))).toBe(true);
    // Another note's side file is never touched.
    const other = await transform('notes/b.md', cacheDir);
    await transform('notes/a.md', cacheDir);
    expect(existsSync(sideFile(other.module))).toBe(true);
    expect(readdirSync(cacheDir).length).toBe(4);
  });

  it('a side file removed while vitest runs is one clear error for the note, not a stack of JSON', () => {
    expect(() => readCompiledNote(path.join(cacheDir, 'gone.json'))).toThrow(/the compiled note .*gone\.json is gone \(ENOENT\); the cache folder was removed during the run\. Run vitest again\./);
  });

  it('cache: false writes nothing', async () => {
    await transform('notes/a.md', false);
    expect(() => readFileSync(path.join(cacheDir, 'x'))).toThrow();
    const { existsSync } = await import('node:fs');
    expect(existsSync(cacheDir)).toBe(false);
  });
});
