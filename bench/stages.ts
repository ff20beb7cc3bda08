/**
 * Cost of each stage against a note's size: `tsx bench/stages.ts [--kb 100,1000,5000] [--runs 3]
 * [--shape note|changelog] [--seed 1]`.
 *
 * Writes one generated note (bench/big-note.ts) per size into a temporary knowledge base, then
 * times, in CPU seconds (median of the runs, after a warm-up on the smallest note): the full
 * parse, the TOC check (src/toc, its scanner then the full parse when unsure), the link check
 * (src/links), plan extraction (src/plan/extract.ts), the vitest plugin's `load` (parse, plan,
 * structural checks, module generation), and the report (src/report: build, JSON, terminal
 * summary and the HTML page, with no test results). Prints each time and its ratio to the
 * previous size over the size ratio: 1.0 is linear.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildLinkIndex } from '../src/links/index.ts';
import { checkLinks } from '../src/links/check.ts';
import { noteFromText, type Note } from '../src/markdown/parse.ts';
import { extractPlan } from '../src/plan/extract.ts';
import type { NotePlan } from '../src/plan/types.ts';
import { buildReport } from '../src/report/build.ts';
import { renderPage } from '../src/report/html/page.ts';
import { reportJson } from '../src/report/json.ts';
import { formatSummary } from '../src/report/terminal.ts';
import { scanNote } from '../src/markdown/outline/index.ts';
import { checkToc } from '../src/toc/toc.ts';
import { kbNotes } from '../src/vitest/plugin.ts';
import { generateBigNote } from './big-note.ts';
import { numberOption } from './options.ts';

function listOption(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? '').split(',').map(Number).filter((n) => n > 0);
}
function stringOption(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
}

function cpuSeconds(run: () => unknown): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Sized {
  kb: number;
  file: string;
  text: string;
  note: Note;
  plan: NotePlan;
}

const sizes = listOption('kb', [100, 1000, 5000]);
const runs = numberOption('runs', 3);
const shape = stringOption('shape', 'note') === 'changelog' ? 'changelog' : 'note';
const seed = numberOption('seed', 1);
const root = mkdtempSync(path.join(os.tmpdir(), 'kb-stages-'));
mkdirSync(path.join(root, 'notes'));

const stages: Array<[string, (s: Sized) => unknown]> = [
  ['parse', (s) => noteFromText(s.file, s.text, { root })],
  ['toc', (s) => checkToc(scanNote(s.file, s.text, { root }) ?? noteFromText(s.file, s.text, { root }))],
  ['links', (s) => checkLinks(s.note, buildLinkIndex({ root }))],
  ['plan', (s) => extractPlan(s.note, { root })],
  [
    'plugin load',
    (s) => {
      const plugin = kbNotes({ root });
      return (plugin.load as (id: string) => unknown).call({}, s.file);
    },
  ],
  [
    'report',
    (s) => {
      const report = buildReport({ root, plans: new Map([[s.file, s.plan]]), modules: [], runErrors: [], python: null, strict: false, generatedAt: new Date(0) });
      const texts = new Map(report.notes.map((n) => [n.path, s.text]));
      return [reportJson(report), formatSummary(report), renderPage({ report, texts, pageToRoot: '..' })];
    },
  ],
];

try {
  const notes: Sized[] = sizes.map((kb) => {
    const file = path.join(root, 'notes', `big-${kb}.md`);
    const text = generateBigNote({ bytes: kb * 1000, seed, shape }).text;
    writeFileSync(file, text);
    const note = noteFromText(file, text, { root });
    return { kb, file, text, note, plan: extractPlan(note, { root }) };
  });
  const smallest = notes[0];
  if (smallest) for (const [, run] of stages) run(smallest);
  console.log(`shape ${shape}, CPU seconds, median of ${runs}; ×: time ratio over size ratio to the previous size (1.0 = linear)`);
  for (const [name, run] of stages) {
    let previous: { kb: number; time: number } | undefined;
    const cells: string[] = [];
    for (const sized of notes) {
      const time = median(Array.from({ length: sized.kb >= 5000 ? 1 : runs }, () => cpuSeconds(() => run(sized))));
      const ratio = previous ? ` (×${(time / previous.time / (sized.kb / previous.kb)).toFixed(2)})` : '';
      cells.push(`${sized.kb} kB ${time.toFixed(3)} s${ratio}`);
      previous = { kb: sized.kb, time };
    }
    console.log(`${name.padEnd(12)} ${cells.join('   ')}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
