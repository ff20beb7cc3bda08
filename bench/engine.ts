/**
 * Engine bench: `tsx bench/engine.ts [--notes 100] [--examples 10] [--more 30] [--repeats 3]`.
 * The first run, the warm run, the floor, vitest alone and doctest are each the median of
 * `--repeats` runs, all printed.
 *
 * On the same generated corpus (bench/examples-corpus.ts), in one run:
 * - ours:      vitest's `notes` project over N notes × M python examples (whole command, start-up included), in a
 *              project that installed the built package (bench/installed.ts), as a user runs it;
 * - baseline:  one fresh interpreter per example (`python -I -S -c`), one after the other: the naive design
 *              the issue measures (~22 ms a start here); `--baseline-parallel 2` runs two at a time instead;
 * - doctest:   `python -m doctest` over the equivalent pycon files, one process, no isolation (the floor);
 * - marginal:  ours again with `--more` examples per note, to get the cost of one more example;
 * - watch:     rerunning one edited note of M examples in a warm watch-mode vitest;
 * - memory:    peak RSS summed over the whole process tree of our run;
 * - floor:     ours over the same number of notes with no examples: what vitest and the plugin cost
 *              before any example runs (vitest's own per-file cost dominates it);
 * - vitest:    vitest alone over as many plain test files of as many empty tests, with the notes
 *              project's settings (threads, no isolation, vitest's default workers): no plugin, no
 *              Markdown, no Python; what any vitest-based tool pays;
 * - workers:   the warm run with `--maxWorkers` 1, 2 and 3 (the default is chosen from these).
 *
 * Every run records wall time and CPU time (user + system over the process tree); on a shared
 * machine compare CPU times and ratios. `--only watch,big` runs some parts (a partial run prints
 * its figures and writes bench/.results/engine-partial.json, never the README's source).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolvePython } from '../src/run/runners/python/interpreter.ts';
import { generateExamplesCorpus, type ExampleSource } from './examples-corpus.ts';
import { measure } from './process-tree.ts';
import { numberOption } from './options.ts';
import { generateBigNote } from './big-note.ts';
import { defaultCacheDir } from '../src/cache/location.ts';
import { installBuiltPackage, makeProject } from './installed.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const vitestBin = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

const notes = numberOption('notes', 100);
const perNote = numberOption('examples', 10);
const more = numberOption('more', 30);
const baselineParallel = numberOption('baseline-parallel', 2);
const only = process.argv.includes('--only') ? new Set(process.argv[process.argv.indexOf('--only') + 1]!.split(',')) : undefined;
const want = (part: string): boolean => !only || only.has(part);
/** Each headline figure is the median of this many runs (the machine is shared: single runs wander by ±30%). */
const repeats = numberOption('repeats', 3);
const bigSizes = (process.argv.includes('--big') ? process.argv[process.argv.indexOf('--big') + 1]! : '100,1000,5000').split(',').map(Number).filter((n) => n > 0);

/** Forget everything a previous run left: the notes cache of this project and its interpreter facts. */
function coldStart(mdRoot: string) {
  rmSync(defaultCacheDir(mdRoot), { recursive: true, force: true });
}

/** `vitest run --project notes` in a project that installed the built package (bench/installed.ts). */
async function ours(mdRoot: string, extra: string[] = []) {
  const r = await measure(process.execPath, [vitestBin, 'run', '--project', 'notes', '--reporter=dot', ...extra], { cwd: mdRoot });
  const summary = /Tests\s+(.*)/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim() ?? '?';
  if (r.code !== 0) throw new Error(`our run failed (${summary}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  // vitest's own split of the time (summed over workers): transform (our plugin), import, tests...
  const profile = /Duration\s+(.*)/.exec(r.stdout.replace(/\x1b\[[0-9;]*m/g, ''))?.[1]?.trim() ?? '?';
  return { ...r, summary, profile };
}

function baseline(python: string, examples: ExampleSource[]): Promise<number> {
  const start = performance.now();
  let next = 0;
  let failures = 0;
  const runOne = (): Promise<void> => {
    const ex = examples[next++];
    if (!ex) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const child = spawn(python, ['-I', '-S', '-c', ex.code], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.on('close', () => {
        if (out.trimEnd() !== ex.output) failures++;
        resolve();
      });
    }).then(runOne);
  };
  return Promise.all(Array.from({ length: baselineParallel }, runOne)).then(() => {
    if (failures) throw new Error(`baseline: ${failures} examples gave unexpected output`);
    return performance.now() - start;
  });
}

async function doctest(python: string, pyconDir: string, files: number): Promise<number> {
  const list = Array.from({ length: files }, (_, n) => path.join(pyconDir, `note-${String(n).padStart(4, '0')}.txt`));
  const r = await measure(python, ['-m', 'doctest', ...list]);
  if (r.code !== 0) throw new Error(`doctest failed:\n${r.stdout.slice(0, 2000)}`);
  return r.wallMs;
}

/** Where a watch rerun's time goes: each phase's median over the saves, in ms. */
export interface WatchPhases {
  /** Saved → vitest starts the rerun: change detection and vitest's own 100 ms pause (WATCHER_DEBOUNCE). */
  untilRerun: number;
  /** Rerun started → the note queued in a test worker: vitest starts a fresh worker for every run. */
  workerStart: number;
  /** Queued → collected: the note's module (compiled during the pause) and the runtime imported, its cases registered. */
  collect: number;
  /** Collected → the run's end: the examples on the warm Python pool, the verdicts reported. */
  tests: number;
}

/**
 * Save one note in a warm watch-mode vitest and time until vitest's own rerun of it has finished:
 * `vitest --project notes` in the project that installed the built package (its config file is the
 * README's), as a user runs it.
 */
async function watchRerun(mdRoot: string): Promise<{ ms: number; phases: WatchPhases }> {
  const { createVitest } = await import('vitest/node');
  let marks: Record<string, number> = {};
  let finished: (() => void) | undefined;
  const mark = (name: string) => () => void (marks[name] ??= performance.now());
  const reporter = {
    onWatcherRerun: mark('rerun'),
    onTestModuleQueued: mark('queued'),
    onTestModuleCollected: mark('collected'),
    onTestRunEnd: () => {
      mark('end')();
      finished?.();
    },
  };
  const vitest = await createVitest('test', { root: mdRoot, watch: true, reporters: [reporter], project: 'notes' });
  try {
    await vitest.start();
    const file = path.join(mdRoot, 'notes', 'note-0000.md');
    const text = readFileSync(file, 'utf8');
    const runs: { total: number; phases: WatchPhases }[] = [];
    for (let i = 0; i < 5; i++) {
      marks = {};
      const done = new Promise<void>((resolve) => (finished = resolve));
      const start = performance.now();
      // An edit that changes nothing the tests see, saved as an editor would. The clock starts
      // before the (synchronous) write and stops when vitest reports the rerun's end; the pause
      // between saves below is not counted.
      writeFileSync(file, i % 2 === 0 ? `${text}\n` : text);
      await done;
      const at = (name: string) => marks[name] ?? Number.NaN;
      runs.push({
        total: at('end') - start,
        phases: { untilRerun: at('rerun') - start, workerStart: at('queued') - at('rerun'), collect: at('collected') - at('queued'), tests: at('end') - at('collected') },
      });
      await new Promise((r) => setTimeout(r, 300));
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const phases = Object.fromEntries(Object.keys(runs[0]!.phases).map((key) => [key, median(runs.map((r) => r.phases[key as keyof WatchPhases]))])) as unknown as WatchPhases;
    return { ms: median(runs.map((r) => r.total)), phases };
  } finally {
    await vitest.close();
  }
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The run of median wall time among `repeats` runs of `once` (its CPU time is that run's), with every wall time. */
async function median<T extends { wallMs: number }>(once: () => Promise<T>): Promise<T & { walls: number[] }> {
  const runs: T[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await once());
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, walls: runs.map((r) => r.wallMs) };
}

const spread = (r: { walls: number[] }) => `  (median of ${r.walls.length}: ${r.walls.map((w) => (w / 1000).toFixed(2)).join(', ')} s)`;

/** A project of `files` plain test files with `tests` empty tests each, configured as the notes project is. */
function plainVitestProject(files: number, tests: number): string {
  const dir = path.join(benchDir, '.corpus-engine', 'plain-vitest');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'tests'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(path.join(dir, 'vitest.config.mjs'), "export default { test: { include: ['tests/*.test.js'], isolate: false, pool: 'threads' } };\n");
  for (let n = 0; n < files; n++) {
    const body = Array.from({ length: tests }, (_, k) => `test('case ${k}', () => {});`).join('\n');
    writeFileSync(path.join(dir, 'tests', `file-${String(n).padStart(4, '0')}.test.js`), `import { test } from 'vitest';\n${body}\n`);
  }
  return dir;
}

/** A knowledge base of one generated note of about `kb` kilobytes. */
function bigNoteRoot(kb: number): string {
  const dir = path.join(benchDir, '.corpus-engine', `big-${kb}k`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'notes'), { recursive: true });
  makeProject(dir);
  writeFileSync(path.join(dir, 'notes', 'big.md'), generateBigNote({ bytes: kb * 1000, seed: 1 }).text);
  return dir;
}

async function main() {
  const python = (await resolvePython()).executable;
  // Every project below finds the package in this folder's node_modules, as if installed.
  installBuiltPackage(path.join(benchDir, '.corpus-engine'));
  const small = generateExamplesCorpus({ dir: path.join(benchDir, '.corpus-engine', 'small'), notes, examples: perNote });
  const large = generateExamplesCorpus({ dir: path.join(benchDir, '.corpus-engine', 'large'), notes, examples: more });
  const empty = generateExamplesCorpus({ dir: path.join(benchDir, '.corpus-engine', 'empty'), notes, examples: 0 });
  for (const corpus of [small, large, empty]) makeProject(corpus.mdRoot);
  const count = notes * perNote;
  console.log(`engine bench: ${notes} notes × ${perNote} python examples (${count}); marginal with × ${more}${only ? `; only ${[...only].join(', ')}` : ''}`);
  const line = (name: string, r: { wallMs: number; cpuMs?: number }, extra = '') =>
    console.log(`${name.padEnd(44)} ${fmt(r.wallMs).padStart(8)} wall ${r.cpuMs !== undefined ? `${fmt(r.cpuMs).padStart(8)} cpu` : ''}  ${(count / (r.wallMs / 1000)).toFixed(0).padStart(6)} examples/s${extra}`);

  const results: Record<string, unknown> = {
    machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    notes, perNote, more, baselineParallel, repeats,
  };
  let coldRun: Awaited<ReturnType<typeof ours>> | undefined;
  let warmRun: Awaited<ReturnType<typeof ours>> | undefined;
  if (want('cold') || want('warm') || want('marginal')) {
    const cold = await median(() => {
      coldStart(small.mdRoot);
      return ours(small.mdRoot);
    });
    const warm = await median(() => ours(small.mdRoot));
    coldRun = cold;
    warmRun = warm;
    line('ours, first run (cold caches)', cold, spread(cold));
    line('ours, warm (nothing changed)', warm, spread(warm));
    console.log(`our cases: ${coldRun.summary}`);
    console.log(`profile, first run (vitest's split): ${coldRun.profile}`);
    console.log(`profile, warm run:                  ${warmRun.profile}`);
    Object.assign(results, { coldMs: coldRun.wallMs, coldCpuMs: coldRun.cpuMs, warmMs: warmRun.wallMs, warmCpuMs: warmRun.cpuMs, coldProfile: coldRun.profile, warmProfile: warmRun.profile });
  }
  if (want('workers')) {
    const byWorkers: { workers: number; wallMs: number; cpuMs: number }[] = [];
    for (const workers of [1, 2, 3]) {
      await ours(small.mdRoot, [`--maxWorkers=${workers}`]); // warm the caches for this choice
      const r = await ours(small.mdRoot, [`--maxWorkers=${workers}`]);
      byWorkers.push({ workers, wallMs: r.wallMs, cpuMs: r.cpuMs });
      line(`ours, warm, --maxWorkers=${workers}`, r);
    }
    Object.assign(results, { byWorkers, oneWorkerMs: byWorkers[0]!.wallMs });
  }
  let baselineMs: number | undefined;
  let doctestMs: number | undefined;
  if (want('baseline')) {
    baselineMs = await baseline(python, small.examples);
    line(`one interpreter per example (-I -S, ×${baselineParallel})`, { wallMs: baselineMs });
    results['baselineMs'] = baselineMs;
  }
  if (want('doctest')) {
    doctestMs = (await median(async () => ({ wallMs: await doctest(python, small.pyconDir, notes) }))).wallMs;
    line('python -m doctest (no isolation)', { wallMs: doctestMs });
    results['doctestMs'] = doctestMs;
  }
  let largeRun: Awaited<ReturnType<typeof ours>> | undefined;
  if (want('marginal') && warmRun) {
    await ours(large.mdRoot);
    largeRun = await ours(large.mdRoot);
    const extra = notes * (more - perNote);
    const marginalMs = (largeRun.wallMs - warmRun.wallMs) / extra;
    const marginalCpuMs = (largeRun.cpuMs - warmRun.cpuMs) / extra;
    console.log(`marginal cost of one example: ${marginalMs.toFixed(2)} ms wall, ${marginalCpuMs.toFixed(2)} ms cpu   (target < 0.7 ms; warm ${notes}×${perNote} ${fmt(warmRun.wallMs)} vs ${notes}×${more} ${fmt(largeRun.wallMs)})`);
    Object.assign(results, { marginalMs, marginalCpuMs, largeMs: largeRun.wallMs, largeCpuMs: largeRun.cpuMs });
  }
  if (want('watch')) {
    const { ms: watchMs, phases } = await watchRerun(small.mdRoot);
    console.log(`watch mode, one note of ${perNote} examples saved → its rerun finished: ${fmt(watchMs)}   (target < 0.4 s, median of 5)`);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.log(`  (medians: until vitest reruns ${ms(phases.untilRerun)} [its 100 ms pause], fresh test worker ${ms(phases.workerStart)}, note imported ${ms(phases.collect)}, examples and report ${ms(phases.tests)})`);
    Object.assign(results, { watchMs, watchPhases: phases });
  }
  if (want('floor')) {
    await ours(empty.mdRoot);
    const floorRun = await median(() => ours(empty.mdRoot));
    line(`floor: ${notes} notes without examples (warm)`, floorRun, warmRun ? `  (so the ${count} examples cost ${fmt(warmRun.wallMs - floorRun.wallMs)} on top)` : '');
    Object.assign(results, { floorMs: floorRun.wallMs, floorCpuMs: floorRun.cpuMs });
  }
  if (want('vitest')) {
    const root = plainVitestProject(notes, perNote + 1);
    await measure(process.execPath, [vitestBin, 'run', '--reporter=dot'], { cwd: root });
    const r = await median(() => measure(process.execPath, [vitestBin, 'run', '--reporter=dot'], { cwd: root }));
    if (r.code !== 0) throw new Error(`plain vitest run failed:\n${r.stdout.slice(-2000)}`);
    line(`vitest alone: ${notes} files × ${perNote + 1} empty tests`, r, spread(r));
    Object.assign(results, { vitestMs: r.wallMs, vitestCpuMs: r.cpuMs });
  }
  const big: { kb: number; wallMs: number; cpuMs: number; peakRssMb: number; summary: string }[] = [];
  if (want('big')) {
    for (const kb of bigSizes) {
      const root = bigNoteRoot(kb);
      coldStart(root);
      const r = await ours(root);
      big.push({ kb, wallMs: r.wallMs, cpuMs: r.cpuMs, peakRssMb: r.peakRssMb, summary: r.summary });
      console.log(`one note of ${kb} KB (first run): ${fmt(r.wallMs)} wall, ${fmt(r.cpuMs)} cpu, peak ${r.peakRssMb.toFixed(0)} MiB  (${r.summary})`);
    }
    if (big.length >= 2) console.log(`${big[1]!.kb} KB / ${big[0]!.kb} KB: ${(big[1]!.wallMs / big[0]!.wallMs).toFixed(1)}x wall, ${(big[1]!.cpuMs / big[0]!.cpuMs).toFixed(1)}x cpu   (target ≤ 3x)`);
    results['big'] = big;
  }
  if (baselineMs !== undefined && coldRun) console.log(`speed-up over the baseline:   ${(baselineMs / coldRun.wallMs).toFixed(1)}x   (target ≥ 6x)`);
  if (doctestMs !== undefined && coldRun && warmRun) {
    console.log(`ratio to doctest, first run:  ${(coldRun.wallMs / doctestMs).toFixed(1)}x   (target ≤ 18x)`);
    console.log(`ratio to doctest, warm:       ${(warmRun.wallMs / doctestMs).toFixed(1)}x   (target ≤ 12x)`);
  }
  const corpusPeaks = [coldRun, warmRun, largeRun].filter((r) => r !== undefined).map((r) => r.peakRssMb);
  if (corpusPeaks.length) {
    results['corpusPeakRssMb'] = Math.max(...corpusPeaks);
    console.log(`peak memory (process tree) of the ${count}-example runs: ${Math.max(...corpusPeaks).toFixed(0)} MiB   (target < 400 MiB)`);
  }
  const peaks = [...corpusPeaks, ...big.map((b) => b.peakRssMb)];
  if (peaks.length) {
    const peak = Math.max(...peaks);
    console.log(`peak memory (process tree, any run above): ${peak.toFixed(0)} MiB   (target < 400 MiB)`);
    results['peakRssMb'] = peak;
  }
  (results['machine'] as { load?: number }).load = (await import('node:os')).loadavg()[0];
  mkdirSync(path.join(benchDir, '.results'), { recursive: true });
  writeFileSync(path.join(benchDir, '.results', only ? 'engine-partial.json' : 'engine.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
