/** Fences inside mkdocs admonitions, collapsible blocks and content tabs are examples at their real lines. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';
import { applyEdits, planEdits } from '../../src/update/edits.ts';

const root = path.resolve('test/fixtures/adopt');
const read = (name: string) => readFileSync(path.join(root, name), 'utf8');
const planOf = (name: string, text = read(name)) => extractPlan(noteFromText(path.join(root, name), text, { root }), { root });
const examples = (name: string, text?: string) => planOf(name, text).items.filter((i): i is ExamplePlan => i.kind === 'example');

describe('fences inside containers', () => {
  it('finds them at the fence line and column, dedented as the renderer does', () => {
    expect(examples('containers.md').map((e) => [e.line, e.column, e.runner, e.code, e.codeLine])).toEqual([
      [7, 5, 'python', 'print("note")', 8],
      [17, 5, 'python', 'x = 1', 18],
      [25, 9, 'python', 'print("tab")', 26],
      [31, 9, 'js', 'console.log(1)', 32],
      [37, 5, 'python', 'print("list")', 38],
    ]);
    expect(planOf('containers.md').diagnostics).toEqual([]);
  });

  it('pairs an output block in the same container with its example', () => {
    const [first] = examples('containers.md');
    expect(first!.outputs.map((o) => [o.line, o.text])).toEqual([[11, 'note']]);
  });

  it('an unclosed fence inside a container is reported at its note line', () => {
    const text = '# T\n\n!!! note\n\n    ```python\n    print(1)\n\nafter\n';
    expect(planOf('x.md', text).diagnostics.map((d) => `${d.line}:${d.column} ${d.ruleId}`)).toEqual(['5:5 unterminated-fence']);
    expect(planOf('x.md', text).diagnostics[0]!.reason).toMatch(/the rest of its admonition or tab is read as code/);
  });

  it('update rewrites an output inside a container keeping its indentation byte for byte', () => {
    const text = read('containers.md').replace(/\n/g, '\r\n');
    const [first] = examples('containers.md', text);
    const { edits, problems } = planEdits(text, [{ example: first!, kind: 'output', text: 'changed\n\n  two\n', outputIndex: 0 }]);
    expect(problems).toEqual([]);
    const out = applyEdits(text, edits);
    expect(out).toBe(text.replace('    ```output\r\n    note\r\n', '    ```output\r\n    changed\r\n\r\n      two\r\n'));
    // Idempotent: the rewritten note plans the same edit as nothing.
    const again = examples('containers.md', out)[0]!;
    expect(planEdits(out, [{ example: again, kind: 'output', text: 'changed\n\n  two\n', outputIndex: 0 }]).edits).toEqual([]);
  });

  it('nested containers and deeper lines map back', () => {
    const text = '!!! note\n    !!! tip\n        ```python\n        a = 1\n        ```\n';
    expect(examples('x.md', text).map((e) => [e.line, e.column, e.code, text.slice(e.bodyStart, e.bodyEnd)])).toEqual([[3, 9, 'a = 1', '        a = 1\n']]);
  });
});

describe('containers inside block quotes, lists and other containers', () => {
  it('finds every example at its fence line and column, with its output', () => {
    expect(examples('containers-nested.md').map((e) => [e.line, e.column, e.code, e.codeLine, e.outputs.map((o) => [o.line, o.text])])).toEqual([
      [5, 7, 'print("quoted")', 6, [[9, 'quoted']]],
      [19, 13, 'print("list in tab")', 20, [[23, 'list in tab']]],
      [31, 9, 'print("admonition in a list")', 32, []],
      [37, 9, 'x = 2', 38, []],
    ]);
    expect(planOf('containers-nested.md').diagnostics).toEqual([]);
  });

  it('the body offsets of a quoted example are its note lines, prefix included', () => {
    const text = read('containers-nested.md');
    const [quoted, , , deep] = examples('containers-nested.md');
    expect(text.slice(quoted!.bodyStart, quoted!.bodyEnd)).toBe('>     print("quoted")\n');
    expect(text.slice(deep!.bodyStart, deep!.bodyEnd)).toBe('> >     x = 2\n');
  });

  it('update rewrites outputs in a quote and in a list in a tab, keeping every prefix, and is idempotent', () => {
    const text = read('containers-nested.md');
    const [quoted, listInTab] = examples('containers-nested.md', text);
    const updates = [
      { example: quoted!, kind: 'output' as const, text: 'one\n\ntwo\n', outputIndex: 0 },
      { example: listInTab!, kind: 'output' as const, text: 'three\n', outputIndex: 0 },
    ];
    const { edits, problems } = planEdits(text, updates);
    expect(problems).toEqual([]);
    const out = applyEdits(text, edits);
    expect(out).toBe(
      text.replace('>     ```output\n>     quoted\n', '>     ```output\n>     one\n>\n>     two\n').replace('            list in tab\n            ```', '            three\n            ```'),
    );
    const [q2, l2] = examples('containers-nested.md', out);
    expect(planEdits(out, [{ ...updates[0]!, example: q2! }, { ...updates[1]!, example: l2! }]).edits).toEqual([]);
  });

  it('a quote line of another depth ends a quoted container', () => {
    const text = '> !!! note\n>\n>     ```python\n>     a = 1\n>     ```\n> > not the body\n';
    expect(examples('x.md', text).map((e) => [e.line, e.code])).toEqual([[3, 'a = 1']]);
  });
});

describe('definition lists (def_list, pandoc)', () => {
  it('an example indented under `:   ` is found; a prose line starting with ": " after a blank paragraph break is not a definition', () => {
    const text = '# T\n\nTerm\n\n:   The definition.\n\n    ```python\n    print("def")\n    ```\n\n\n\n: not a definition\n\n    ```python\n    never_a_fence_here()\n    ```\n';
    expect(examples('x.md', text).map((e) => [e.line, e.column, e.code])).toEqual([[7, 5, 'print("def")']]);
  });
});

describe('hostile input', () => {
  it('a line of thousands of quote markers is read in linear time (no regex backtracking)', () => {
    const text = `${'> '.repeat(3000)}text\n${'> '.repeat(3000)}!!! note\n`;
    expect(examples('x.md', text)).toEqual([]);
  });
});
