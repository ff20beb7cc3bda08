import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';
import { applyEdits, planEdits } from '../../src/update/edits.ts';
import { runKb } from '../../src/cli/main.ts';

const fence = '```';

function update(text: string, outputs: Record<number, string>): string {
  const note = noteFromText('/r/notes/x.md', text, { root: '/r' });
  const body = note.bom ? text.slice(1) : text;
  const examples = extractPlan(note, { root: '/r' }).items.filter((i): i is ExamplePlan => i.kind === 'example');
  const updates = Object.entries(outputs).map(([line, out]) => ({ example: examples.find((e) => e.line === Number(line))!, kind: 'output' as const, text: out, outputIndex: 0 }));
  const { edits, problems } = planEdits(body, updates);
  expect(problems).toEqual([]);
  return (note.bom ? '\uFEFF' : '') + applyEdits(body, edits);
}

describe('update: only fence bodies change, byte for byte elsewhere', () => {
  it.each([
    ['LF', `# T\n\n${fence}python\nprint(1)\n${fence}\n\n${fence}output\nold\n${fence}\n`, 3, '1\n', `# T\n\n${fence}python\nprint(1)\n${fence}\n\n${fence}output\n1\n${fence}\n`],
    ['CRLF', `# T\r\n\r\n${fence}python\r\nprint(1)\r\n${fence}\r\n\r\n${fence}output\r\nold\r\n${fence}\r\n`, 3, '1\n2\n', `# T\r\n\r\n${fence}python\r\nprint(1)\r\n${fence}\r\n\r\n${fence}output\r\n1\r\n2\r\n${fence}\r\n`],
    ['BOM, no trailing newline', `\uFEFF${fence}python\nx\n${fence}\n${fence}output\nold\n${fence}`, 1, 'new', `\uFEFF${fence}python\nx\n${fence}\n${fence}output\nnew\n${fence}`],
    ['list item', `- a\n\n  ${fence}python\n  x\n  ${fence}\n\n  ${fence}output\n  old\n  ${fence}\n- b\n`, 3, 'one\n\ntwo', `- a\n\n  ${fence}python\n  x\n  ${fence}\n\n  ${fence}output\n  one\n\n  two\n  ${fence}\n- b\n`],
    ['blockquote', `> ${fence}python\n> x\n> ${fence}\n>\n> ${fence}output\n> old\n> ${fence}\n`, 1, 'new\n', `> ${fence}python\n> x\n> ${fence}\n>\n> ${fence}output\n> new\n> ${fence}\n`],
    ['empty body', `${fence}python\nx\n${fence}\n${fence}output\n${fence}\n`, 1, 'filled\n', `${fence}python\nx\n${fence}\n${fence}output\nfilled\n${fence}\n`],
    ['trailing whitespace dropped', `${fence}python\nx\n${fence}\n${fence}output\nold\n${fence}\n`, 1, 'a   \nb\t\n\n\n', `${fence}python\nx\n${fence}\n${fence}output\na\nb\n${fence}\n`],
  ])('%s', (_name, before, line, out, after) => {
    const once = update(before, { [line]: out });
    expect(once).toBe(after);
    expect(update(once, { [line]: out })).toBe(after);
  });

  it('refuses content that would close the fence', () => {
    const text = `${fence}python\nx\n${fence}\n${fence}output\nold\n${fence}\n`;
    const note = noteFromText('/r/notes/x.md', text, { root: '/r' });
    const example = extractPlan(note, { root: '/r' }).items[0] as ExamplePlan;
    const { problems } = planEdits(text, [{ example, kind: 'output', text: '```\nboom', outputIndex: 0 }]);
    expect(problems[0]?.message).toMatch(/would close the ``` fence/);
  });
});

/** `kb update` in this process: the command's behaviour (the binary itself is tested in test/package/). */
async function kbUpdate(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await runKb(['update', ...argv], { cwd: process.cwd(), env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

describe('kb update (end to end on a temporary knowledge base)', () => {
  it('rewrites a stale output block and an include, then changes nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-update-'));
    mkdirSync(path.join(root, 'notes'));
    writeFileSync(path.join(root, 'notes', 'lib.py'), 'def f():\n    return 2\n');
    const note = [
      '# N', '', `${fence}python`, 'print("fresh")', fence, '', `${fence}output`, 'stale', fence, '',
      '<!-- include lib.py -->', `${fence}python`, 'def f():', '    return 1', fence, '', 'Tail text.', '',
    ].join('\r\n');
    writeFileSync(path.join(root, 'notes', 'n.md'), note);
    const first = await kbUpdate('--root', root);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('+fresh');
    const after = readFileSync(path.join(root, 'notes', 'n.md'), 'utf8');
    expect(after).toBe(note.replace('stale', 'fresh').replace('    return 1', '    return 2'));
    const second = await kbUpdate('--root', root);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('update: updated 0 of 1 note(s); every note passes');
    expect(readFileSync(path.join(root, 'notes', 'n.md'), 'utf8')).toBe(after);
  });

  it('rejects unknown options', async () => {
    const r = await kbUpdate('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown option --bogus');
  });
});
