/**
 * `tsx bench/readme-table.ts`: writes the engine bench's last results
 * (bench/.results/engine.json, from `npm run bench`) into README.md between
 * `<!-- bench:engine -->` and `<!-- bench:engine-end -->`. The figures in the
 * README are never typed by hand. Only that region changes; the file is
 * rewritten atomically.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../src/fs/atomic-write.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const readme = path.join(benchDir, '..', 'README.md');
const START = '<!-- bench:engine -->';
const END = '<!-- bench:engine-end -->';

interface Results {
  machine: { cpus: number; node: string; load?: number };
  notes: number; perNote: number; more: number; baselineParallel: number;
  /** How many runs each headline figure is the median of (1 before medians were taken). */
  repeats?: number;
  coldMs: number; warmMs: number; oneWorkerMs: number; baselineMs: number; doctestMs: number;
  floorMs: number; marginalMs: number; watchMs: number;
  big: { kb: number; wallMs: number; peakRssMb: number }[];
  peakRssMb: number;
  /** Peak of the runs over the 1,000-example corpus (first, warm, ×30). */
  corpusPeakRssMb?: number;
  /** vitest alone over as many plain test files (bench/engine.ts `vitest`). */
  vitestMs?: number;
  vitestCpuMs?: number;
  coldProfile?: string;
  warmProfile?: string;
  /** CPU time (user + system, whole process tree) of the same runs, when measured. */
  coldCpuMs?: number;
  warmCpuMs?: number;
  floorCpuMs?: number;
  marginalCpuMs?: number;
  byWorkers?: { workers: number; wallMs: number; cpuMs: number }[];
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const x = (a: number, b: number) => `${(a / b).toFixed(1)}x`;

export function renderTable(r: Results): string {
  const count = r.notes * r.perNote;
  const perSecond = (ms: number) => Math.round(count / (ms / 1000)).toLocaleString('en-US');
  const workerRows = (r.byWorkers ?? [{ workers: 1, wallMs: r.oneWorkerMs }]).map((w) => [`ours, warm, \`--maxWorkers=${w.workers}\``, w.wallMs, x(w.wallMs, r.doctestMs), 'cpuMs' in w ? w.cpuMs : undefined] as const);
  const rows = [
    ['ours, first run (empty caches)', r.coldMs, `${x(r.coldMs, r.doctestMs)} (target ≤ 18x)`, r.coldCpuMs],
    ['ours, warm rerun, nothing changed', r.warmMs, `${x(r.warmMs, r.doctestMs)} (target ≤ 12x)`, r.warmCpuMs],
    ...workerRows,
    [`one interpreter per example (\`python -I -S -c\`, ${r.baselineParallel} at a time)`, r.baselineMs, x(r.baselineMs, r.doctestMs)],
    ['`python -m doctest` over the same examples as pycon (no isolation)', r.doctestMs, '1x'],
    [`ours over the same ${r.notes} notes without any example (the floor)`, r.floorMs, x(r.floorMs, r.doctestMs), r.floorCpuMs],
    ...(r.vitestMs !== undefined ? [[`vitest alone: ${r.notes} plain test files × ${r.perNote + 1} empty tests, same settings`, r.vitestMs, x(r.vitestMs, r.doctestMs), r.vitestCpuMs] as const] : []),
  ] as const;
  const cpu = (ms: number | undefined) => (ms === undefined ? '' : s(ms));
  const lines = [
    `${r.notes} notes × ${r.perNote} Python examples (${count.toLocaleString('en-US')}), ${r.machine.cpus} cores${r.machine.load !== undefined ? ` (load average ${r.machine.load.toFixed(1)} at the end)` : ''}, Node ${r.machine.node}; written by \`bench/readme-table.ts\` from one \`npm run bench\`${(r.repeats ?? 1) > 1 ? `; first run, warm run, floor, vitest alone and doctest are each the median of ${r.repeats} runs` : ''}.`,
    '',
    '| | wall | CPU (process tree) | examples/s | vs doctest |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(([name, ms, ratio, cpuMs]) => `| ${name} | ${s(ms)} | ${cpu(cpuMs)} | ${perSecond(ms)} | ${ratio} |`),
    '',
    '| measure | value | target |',
    '| --- | --- | --- |',
    `| first run vs one interpreter per example | ${x(r.baselineMs, r.coldMs)} faster | ≥ 6x |`,
    `| one more example (${r.notes}×${r.perNote} vs ${r.notes}×${r.more}, warm) | ${r.marginalMs.toFixed(2)} ms${r.marginalCpuMs !== undefined ? ` (CPU ${r.marginalCpuMs.toFixed(2)} ms)` : ''} | < 0.7 ms |`,
    `| watch mode: a note of ${r.perNote} examples saved → its rerun finished (median of 5) | ${s(r.watchMs)} | < 0.4 s |`,
    ...r.big.map((b) => `| one note of ${b.kb.toLocaleString('en-US')} KB, first run | ${s(b.wallMs)} (peak ${b.peakRssMb.toFixed(0)} MiB) | ${b.kb >= 5000 ? '< 1 min' : ''} |`),
    ...(r.big.length >= 2 ? [`| ${r.big[1]!.kb.toLocaleString('en-US')} KB note / ${r.big[0]!.kb} KB note | ${x(r.big[1]!.wallMs, r.big[0]!.wallMs)} | ≤ 3x |`] : []),
    ...(r.corpusPeakRssMb !== undefined ? [`| peak memory, whole process tree, the ${count.toLocaleString('en-US')}-example runs | ${r.corpusPeakRssMb.toFixed(0)} MiB | < 400 MiB |`] : []),
    `| peak memory, whole process tree, any run above (the large notes included) | ${r.peakRssMb.toFixed(0)} MiB | < 400 MiB |`,
    ...(r.coldProfile ? ['', `vitest's split of the first run (summed over workers): ${r.coldProfile}; warm: ${r.warmProfile}.`] : []),
  ];
  return lines.join('\n');
}

/** README text with the region replaced; an error when the markers are missing or out of order. */
export function withTable(text: string, table: string): string {
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no ${START} … ${END} region; add both markers where the table goes`);
  return `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const results = JSON.parse(readFileSync(path.join(benchDir, '.results', 'engine.json'), 'utf8')) as Results;
  const before = readFileSync(readme, 'utf8');
  const after = withTable(before, renderTable(results));
  if (after !== before) writeFileAtomicSync(readme, after);
  console.log(after === before ? 'README.md: bench table already current' : 'README.md: bench table updated');
}
