/** Any fence nested in containers at any depth maps back to its own lines and bytes. */
import fc from 'fast-check';
import path from 'node:path';
import { expect, it } from 'vitest';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';

const marker = fc.constantFrom('!!! note', '??? tip', '???+ example "Title"', '=== "Tab"');
/** Block quote markers every line of the nest starts with (none, `> `, `> > `, `>`). */
const quote = fc.constantFrom('', '> ', '> > ', '>');
const codeLine = fc.stringMatching(/^[a-z_][a-z0-9_ =+]{0,12}$/);

it('examples in nested containers, in block quotes or not, keep their code, line and body bytes', () => {
  fc.assert(
    fc.property(fc.array(marker, { minLength: 1, maxLength: 4 }), fc.array(codeLine, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.constantFrom('\n', '\r\n'), quote, (markers, code, blank, eol, q) => {
      const lines: string[] = ['# T', ''];
      markers.forEach((m, depth) => {
        lines.push(q + ' '.repeat(4 * depth) + m);
        if (blank) lines.push(q.trimEnd());
      });
      const indent = q + ' '.repeat(4 * markers.length);
      const fenceLine = lines.length + 1;
      lines.push(`${indent}\`\`\`python`, ...code.map((c) => indent + c), `${indent}\`\`\``, '', 'after', '');
      const text = lines.join(eol);
      const root = path.resolve('test/fixtures/adopt');
      const plan = extractPlan(noteFromText(path.join(root, 'p.md'), text, { root }), { root });
      const examples = plan.items.filter((i): i is ExamplePlan => i.kind === 'example');
      expect(plan.diagnostics).toEqual([]);
      expect(examples).toHaveLength(1);
      const e = examples[0]!;
      expect([e.line, e.column, e.code.replace(/\r/g, '')]).toEqual([fenceLine, indent.length + 1, code.join('\n')]);
      expect(text.slice(e.bodyStart, e.bodyEnd)).toBe(code.map((c) => indent + c + eol).join(''));
    }),
    { numRuns: 200 },
  );
});
