/**
 * `npx tsx bench/report.ts [examples]`: the cost of the report page's build-time syntax highlighting.
 * Renders one synthetic note with N examples (default 1,000: Python, pycon, shell, JavaScript and
 * TypeScript in turn, 5–8 lines each) to the page with and without highlighting, three times each,
 * and prints the medians and the cost per 1,000 examples (grammar loading apart).
 */
import { performance } from 'node:perf_hooks';
import { createHighlight } from '../src/report/html/highlight.ts';
import { renderPage } from '../src/report/html/page.ts';
import type { ExampleReport, Report } from '../src/report/schema.ts';
import { emptyCounts } from '../src/report/counts.ts';

const count = Number(process.argv[2] ?? 1000);
const BODIES: Record<string, string> = {
  python: 'import asyncio\n\nasync def worker(name):\n    await asyncio.sleep(0)\n    print(f"{name} done")  # done\n\nfor x in range(3):\n    print(x, "s")',
  pycon: '>>> sorted({3, 1, 2})\n[1, 2, 3]\n>>> def f(x):\n...     return x * 2\n>>> f(2)\n4',
  sh: 'set -e\nfor f in *.md; do\n  echo "file: $f" | wc -l\ndone\nexport X=1\nif [ -n "$X" ]; then echo ok; fi',
  js: 'const double = (n) => n * 2;\nconsole.log(double(await Promise.resolve(21)));\nclass A { #x = 1; get x() { return this.#x; } }\n// comment\nexport default { a: [1, 2, `t${1}`] };',
  ts: 'const double = (n: number): number => n * 2;\ninterface P { a: string; b?: number }\nconsole.log(double(await Promise.resolve(21)));\ntype K = keyof P;\nexport function f<T>(x: T): T { return x; }',
};
const langs = Object.keys(BODIES);
const lines = ['# Highlighting bench', ''];
const examples: ExampleReport[] = [];
for (let i = 0; i < count; i++) {
  const lang = langs[i % langs.length]!;
  lines.push(`## Example ${i}`, '');
  examples.push({ id: `example-${lines.length + 1}`, name: `Example ${i}`, line: lines.length + 1, lang, status: 'passed' });
  lines.push(`\`\`\`${lang}`, BODIES[lang]!, '```', '');
}
const text = lines.join('\n');
const counts = { ...emptyCounts(), examples: { total: count, passed: count, failed: 0, skipped: 0, notRun: 0 } };
const report: Report = {
  schemaVersion: 2, generatedAt: new Date().toISOString(), python: null, strict: false, failed: false, errors: [], totals: counts,
  notes: [{ path: 'notes/bench.md', title: 'Highlighting bench', claims: [], examples, other: [], unbackedSections: [], errors: [], counts, failed: false }],
};
const texts = new Map([['notes/bench.md', text]]);

const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};
let t = performance.now();
const highlight = await createHighlight(langs);
const load = performance.now() - t;
const plain: number[] = [];
const coloured: number[] = [];
for (let round = 0; round < 3; round++) {
  plain.push(time(() => renderPage({ report, texts, pageToRoot: '.' })));
  coloured.push(time(() => renderPage({ report, texts, pageToRoot: '.', highlight })));
}
const per1000 = ((median(coloured) - median(plain)) / count) * 1000;
console.log(`report page, ${count} examples: plain ${median(plain).toFixed(0)} ms, highlighted ${median(coloured).toFixed(0)} ms (median of 3)`);
console.log(`highlighting: ${per1000.toFixed(0)} ms per 1,000 examples, plus ${load.toFixed(0)} ms to load the grammars once`);
