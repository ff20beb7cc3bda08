/**
 * The engine benchmark's corpus: N notes × M independent Python examples, in
 * two equivalent flavours: `python` fences with `output` blocks (run by this
 * project) and `pycon` text files (run by `python3 -m doctest`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface ExamplesCorpusOptions {
  dir: string;
  notes: number;
  examples: number;
}

export interface ExampleSource {
  code: string;
  output: string;
}

/** Example k of note n: small, varied, deterministic; each prints one line. */
export function example(n: number, k: number): ExampleSource {
  const a = n * 31 + k;
  switch (k % 4) {
    case 0:
      return { code: `values = [i * ${a % 7 + 1} for i in range(5)]\nprint(sum(values))`, output: String([0, 1, 2, 3, 4].reduce((s, i) => s + i * ((a % 7) + 1), 0)) };
    case 1:
      return { code: `words = "alpha beta gamma".split()\nprint("-".join(w.upper() for w in words), ${a})`, output: `ALPHA-BETA-GAMMA ${a}` };
    case 2:
      return { code: `d = {"k": ${a}}\nd["k"] += 1\nprint(d)`, output: `{'k': ${a + 1}}` };
    default:
      return { code: `def f(x):\n    return x * x\nprint(f(${a % 50}))`, output: String((a % 50) ** 2) };
  }
}

export function generateExamplesCorpus(options: ExamplesCorpusOptions): { mdRoot: string; pyconDir: string; examples: ExampleSource[] } {
  const mdRoot = path.join(options.dir, 'md');
  const pyconDir = path.join(options.dir, 'pycon');
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(path.join(mdRoot, 'notes'), { recursive: true });
  mkdirSync(pyconDir, { recursive: true });
  const all: ExampleSource[] = [];
  for (let n = 0; n < options.notes; n++) {
    const md: string[] = [`# Note ${n}`, ''];
    const pycon: string[] = [];
    for (let k = 0; k < options.examples; k++) {
      const ex = example(n, k);
      all.push(ex);
      md.push(`## Example ${k}`, '', '```python', ex.code, '```', '', '```output', ex.output, '```', '');
      const lines = ex.code.split('\n');
      const prompts: string[] = [];
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const continuation = i > 0 && (/^\s/.test(line));
        prompts.push(`${continuation ? '...' : '>>>'} ${line}`);
        // A block statement needs an empty continuation line before the next statement.
        if (continuation && (i + 1 === lines.length || !/^\s/.test(lines[i + 1]!))) prompts.push('...');
      }
      pycon.push(...prompts, ex.output, '');
    }
    writeFileSync(path.join(mdRoot, 'notes', `note-${String(n).padStart(4, '0')}.md`), md.join('\n'));
    writeFileSync(path.join(pyconDir, `note-${String(n).padStart(4, '0')}.txt`), pycon.join('\n'));
  }
  return { mdRoot, pyconDir, examples: all };
}
