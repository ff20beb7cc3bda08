/**
 * `kb update` end to end, as a child process (it runs vitest, which cannot
 * run inside the vitest running these tests), on copies of the fixture notes in
 * test/update/fixtures: `<name>.md` is the note before, `<name>.expected.md`
 * the note after (no `.expected.md`: the update must leave it byte for byte).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKb } from '../../src/cli/main.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fence = '```';

function knowledgeBase(names: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-update-'));
  mkdirSync(path.join(root, 'notes'));
  for (const name of names) copyFileSync(path.join(FIXTURES, `${name}.md`), path.join(root, 'notes', `${name}.md`));
  return root;
}

/** `kb update` in this process (the binary itself is tested in test/package/): the command's behaviour, not tsx's startup. */
async function update(root: string, args: string[] = []): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runKb(['update', ...args], { cwd: root, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

const read = (root: string, name: string) => readFileSync(path.join(root, 'notes', `${name}.md`), 'utf8');
const expected = (name: string) => readFileSync(path.join(FIXTURES, existsSync(path.join(FIXTURES, `${name}.expected.md`)) ? `${name}.expected.md` : `${name}.md`), 'utf8');

describe('kb update keeps what the author wrote', () => {
  const passing = ['ellipsis', 'modes', 'pycon', 'console', 'session'];

  it('rewrites only mismatching lines (ellipses, matching lines, prompts and commands stay), exits 0, and a second run changes nothing', async () => {
    const root = knowledgeBase(passing);
    const first = await update(root);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`update: updated ${passing.length} of ${passing.length} note(s); every note passes`);
    for (const name of passing) expect(read(root, name), name).toBe(expected(name));
    const second = await update(root);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(`update: updated 0 of ${passing.length} note(s); every note passes`);
    for (const name of passing) expect(read(root, name), name).toBe(expected(name));
  }, 240_000);

  it('exits 1 naming file:line and why when a note still fails; never writes a note whose example could not run', async () => {
    const root = knowledgeBase(['still-fails', 'timeout']);
    const r = await update(root);
    expect(r.status).toBe(1);
    expect(read(root, 'still-fails')).toBe(expected('still-fails'));
    expect(r.stderr).toContain('notes/still-fails.md:11: example at line 11 still fails: ValueError: broken on purpose');
    // A command that fails where the author expected success keeps the author's output.
    expect(r.stderr).toContain('notes/still-fails.md:22: not updated: the command exited with status 2 where the transcript expects success');
    // A prompt that raises where the author wrote output is not turned into a traceback.
    expect(r.stderr).toContain("notes/still-fails.md:16: not updated: the prompt raised ModuleNotFoundError: No module named 'module_that_is_not_installed' where the transcript expects no exception");
    // An exception of another type than the one the author wrote is a failure, not a drifted message.
    expect(r.stderr).toContain('notes/still-fails.md:27: not updated: the prompt raised ValueError: invalid literal for int() with base 10: \'x\' where the transcript expects KeyError');
    // Output with a memory address would differ on the next run: never written.
    expect(r.stderr).toMatch(/notes\/still-fails\.md:35: not updated: the new output has a memory address, different on every run \(`<__main__\.Thing object at 0x[0-9a-f]+>`\)/);
    expect(r.stderr).toContain('notes/still-fails.md:37: not updated: this prompt follows the failure at line 35; the output may be a consequence of it');
    expect(r.stderr).toMatch(/notes\/still-fails\.md:45: not updated: the new output has a memory address/);
    expect(read(root, 'timeout')).toBe(readFileSync(path.join(FIXTURES, 'timeout.md'), 'utf8'));
    expect(r.stderr).toMatch(/notes\/timeout\.md:11: not updated: the example could not run \(timeout\)/);
    expect(r.stderr).toContain('update: notes/timeout.md was not written: an example in it could not run');
    expect(r.stdout).toContain('update: updated 1 of 2 note(s)');
  }, 240_000);

  it('exits 2 with one line, no stack, for a path that selects no note', async () => {
    const root = knowledgeBase(['session']);
    const r = await update(root, ['notes/nothing-here.md']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['update: no such file or folder: notes/nothing-here.md; `kb update --help` lists the options']);
    writeFileSync(path.join(root, 'not-a-note.txt'), 'text\n');
    const outside = await update(root, ['not-a-note.txt']);
    expect(outside.status).toBe(2);
    expect(outside.stderr.trim().split('\n')).toEqual(['update: not-a-note.txt: no note there (notes are notes/**/*.md, README.md)']);
    expect(read(root, 'session')).toBe(readFileSync(path.join(FIXTURES, 'session.md'), 'utf8'));
  }, 60_000);

  it('keeps CRLF, a BOM and blockquote prefixes; only the owned lines change', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-update-'));
    mkdirSync(path.join(root, 'notes'));
    const before = ['\uFEFF# CRLF', '', `> ${fence}python`, '> print("a")', '> print("b")', `> ${fence}`, '>', `> ${fence}output ellipsis`, '> ...', '> x   ', `> ${fence}`, '', 'Tail.  ', ''].join('\r\n');
    writeFileSync(path.join(root, 'notes', 'crlf.md'), before);
    const r = await update(root);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'notes', 'crlf.md'), 'utf8')).toBe(before.replace('> x   \r\n', '> b\r\n'));
  }, 60_000);
});

describe('the fixtures are what the tests say', () => {
  it('every fixture before differs from its expected after (each is a failing case without the update)', () => {
    for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.expected.md'))) {
      const name = file.slice(0, -'.expected.md'.length);
      expect(readFileSync(path.join(FIXTURES, `${name}.md`), 'utf8'), name).not.toBe(expected(name));
    }
  });
});
