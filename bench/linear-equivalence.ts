/**
 * Same trees with the linear `EditMap#consume` as with micromark's own:
 * `tsx bench/linear-equivalence.ts [DIR...] [--random N] [--seed S]`.
 *
 * Parses every Markdown file under each DIR, generated big notes (bench/big-note.ts) and N random
 * documents stitched from container-heavy lines (nested and lazy lists, quotes in lists, fences
 * in items, setext headings, tables, footnotes), once with the upstream `consume` (kept verbatim
 * below) and once with ours, through the project's pipeline (remark-parse + GFM + front matter),
 * and compares the trees as JSON, positions included. Exit 1 on the first difference, with the
 * file and the first differing character.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { EditMap } from 'micromark-util-edit-map';
import { installLinearEditMap } from '../src/markdown/linear-edit-map.ts';
import { parseMarkdown } from '../src/markdown/parse.ts';
import { generateBigNote } from './big-note.ts';
import { numberOption } from './options.ts';
import { random } from './corpus.ts';

type Change = EditMap['map'][number];

/** `EditMap#consume` of micromark-util-edit-map 1.0.0 (MIT, Titus Wormer), unchanged. */
function upstreamConsume(this: EditMap, events: unknown[]): undefined {
  this.map.sort((a: Change, b: Change) => a[0] - b[0]);
  if (this.map.length === 0) return;
  let index = this.map.length;
  const vecs: unknown[][] = [];
  while (index > 0) {
    index -= 1;
    const change = this.map[index] as Change;
    vecs.push(events.slice(change[0] + change[1]), change[2]);
    events.length = change[0];
  }
  vecs.push(events.slice());
  events.length = 0;
  let slice = vecs.pop();
  while (slice) {
    for (const element of slice) events.push(element);
    slice = vecs.pop();
  }
  this.map.length = 0;
  this.index.clear();
}

const proto = EditMap.prototype as { consume: unknown };

function parseBoth(text: string): [string, string] {
  proto.consume = upstreamConsume;
  const before = JSON.stringify(parseMarkdown(text));
  installLinearEditMap();
  const after = JSON.stringify(parseMarkdown(text));
  return [before, after];
}

function* markdownFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* markdownFiles(full);
    else if (/\.(md|markdown|mdx)$/i.test(name)) yield full;
  }
}

/** Lines whose combinations open, continue and close containers in many ways. */
const LINES = [
  '- item', '* item', '+ item', '1. one', '2) two', '10. ten', '-', '- [ ] task', '- [x] done',
  '  - nested', '    - deeper', '   1. nested ordered', '  continued', 'lazy line', '',
  '> quote', '> - item in quote', '> > nested quote', '>', '- > quote in item',
  '  ```', '```', '```python', 'x = 1', '    indented code', '~~~', 'Heading', '===', '---',
  '# ATX', '| a | b |', '| - | - |', '| 1 | 2 |', '[^1]: footnote', '    footnote body', 'text[^1]',
  '<!-- comment -->', '<div>', '</div>', '[ref]: https://example.org', 'see [ref] and <https://example.org>',
  '***', '\t- tab item', '- a\tb', '  > quote in item',
];


function randomDocument(rand: () => number): string {
  const lines: string[] = [];
  const count = 5 + Math.floor(rand() * 60);
  for (let i = 0; i < count; i++) lines.push(LINES[Math.floor(rand() * LINES.length)] as string);
  return lines.join(rand() < 0.1 ? '\r\n' : '\n') + (rand() < 0.8 ? '\n' : '');
}

function main(): number {
  const args = process.argv.slice(2);
  const dirs = args.filter((arg, i) => !arg.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const randomCount = numberOption('random', 20000);
  const rand = random(numberOption('seed', 1));
  const inputs: Array<[string, () => string]> = [];
  for (const dir of dirs) for (const file of markdownFiles(dir)) inputs.push([file, () => readFileSync(file, 'utf8')]);
  for (const [bytes, seed] of [[20_000, 1], [200_000, 2], [1_000_000, 3]] as const) {
    inputs.push([`big note ${bytes} B seed ${seed}`, () => generateBigNote({ bytes, seed }).text]);
  }
  for (let i = 0; i < randomCount; i++) {
    const text = randomDocument(rand);
    inputs.push([`random document ${i}: ${JSON.stringify(text)}`, () => text]);
  }
  let bytes = 0;
  for (const [name, read] of inputs) {
    const text = read();
    bytes += text.length;
    const [before, after] = parseBoth(text);
    if (before !== after) {
      let at = 0;
      while (before[at] === after[at]) at++;
      console.error(`different tree: ${name}\n  upstream: …${before.slice(at - 80, at + 80)}\n  linear:   …${after.slice(at - 80, at + 80)}`);
      return 1;
    }
  }
  console.log(`same trees for ${inputs.length} documents (${(bytes / 1e6).toFixed(1)} MB)`);
  return 0;
}

process.exitCode = main();
