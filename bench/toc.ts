/**
 * TOC bench: `tsx bench/toc.ts [--notes N] [--runs R] [--seed S]`.
 *
 * Generates the corpus (bench/corpus.ts) into bench/.corpus, then times on the
 * same files, as whole commands (process start-up included), best and median
 * of R runs:
 * - ours:         kb toc --check --quiet bench/.corpus/notes (what `npm run toc` runs),
 *                 and the same CLI bundled by esbuild into one file run by plain node
 * - doctoc:       doctoc --dryrun bench/.corpus/notes (computes every TOC, writes nothing)
 * - markdown-toc: its API in ONE node process over every file (its CLI takes
 *                 one file per process, which would measure 1,000 node start-ups)
 * The peers live in their own package (bench/package.json), installed with
 * `npm ci --prefix bench` when bench/node_modules is missing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.ts';
import { numberOption } from './options.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const corpusDir = path.join(benchDir, '.corpus');

const notes = numberOption('notes', 1000);
const runs = numberOption('runs', 5);
const seed = numberOption('seed', 1);

interface Command {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
}

interface Timing {
  name: string;
  best: number;
  median: number;
  status: number | null;
  stdout: string;
}

/** Runs the commands in interleaved rounds (A B C, A B C, ...), so a busy machine slows them alike. */
function timeAll(commands: Command[]): Timing[] {
  const walls = commands.map(() => [] as number[]);
  const last: Array<ReturnType<typeof spawnSync> | undefined> = commands.map(() => undefined);
  for (let round = 0; round < runs; round++) {
    commands.forEach((c, index) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(c.command, c.args, { cwd: c.cwd ?? repoRoot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      walls[index]?.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.error) throw result.error;
      last[index] = result;
    });
  }
  return commands.map((c, index) => {
    const sorted = [...(walls[index] ?? [])].sort((a, b) => a - b);
    return {
      name: c.name,
      best: sorted[0] ?? 0,
      median: sorted[Math.floor(sorted.length / 2)] ?? 0,
      status: last[index]?.status ?? null,
      stdout: String(last[index]?.stdout ?? ''),
    };
  });
}

function corpusHash(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(path.join(corpusDir, 'notes', file)));
  return hash.digest('hex');
}

if (!existsSync(path.join(benchDir, 'node_modules'))) {
  console.log('installing the peers: npm ci --prefix bench');
  const install = spawnSync('npm', ['ci', '--prefix', benchDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const corpus = generateCorpus({ dir: corpusDir, notes, seed });
console.log(`corpus: ${corpus.files.length} notes, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.withToc.length} with a TOC, ${corpus.staleTocs.length} stale on purpose`);
const before = corpusHash(corpus.files);
const notesRel = path.relative(corpusDir, corpus.notesDir);
const kbScript = path.join(repoRoot, 'src', 'cli', 'bin.ts');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');

const markdownTocScript = `
const fs = require('node:fs'); const path = require('node:path'); const toc = require('markdown-toc');
const dir = process.argv[1]; let n = 0;
for (const rel of fs.readdirSync(dir, { recursive: true })) {
  if (!rel.endsWith('.md')) continue;
  const text = fs.readFileSync(path.join(dir, rel), 'utf8');
  const out = text.includes('<!-- toc') ? toc.insert(text) : toc(text).content;
  if (out.length >= 0) n++;
}
console.log(n);`;

// The same CLI bundled to one JavaScript file, to time it under plain node (no TypeScript loader).
const bundle = path.join(corpusDir, '.build', 'toc.mjs');
const { VITEST_EXTERNALS } = await import('./options.ts');
const esbuild = (await import('esbuild')) as typeof import('esbuild');
esbuild.buildSync({
  entryPoints: [path.join(repoRoot, 'src', 'cli', 'bin.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  // vitest and vite are loaded only by `kb report`/`kb mutate` (dynamic imports); `kb toc` never reaches them.
  external: VITEST_EXTERNALS,
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

const [startup, ours, oursNode, doctoc, markdownToc] = timeAll([
  { name: 'startup: kb toc --help', command: tsx, args: [kbScript, 'toc', '--help'], cwd: corpusDir },
  // Run in the corpus as a user runs in their project: its notes/ folder is the default notes glob.
  { name: 'ours: kb toc --check', command: tsx, args: [kbScript, 'toc', '--check', '--quiet', notesRel], cwd: corpusDir },
  { name: 'ours: node (bundled) --check', command: process.execPath, args: [bundle, 'toc', '--check', '--quiet', notesRel], cwd: corpusDir },
  { name: 'doctoc --dryrun', command: process.execPath, args: [path.join(benchDir, 'node_modules', 'doctoc', 'doctoc.js'), '--dryrun', corpus.notesDir] },
  { name: 'markdown-toc (API, 1 process)', command: process.execPath, args: ['-e', markdownTocScript, corpus.notesDir], cwd: benchDir },
]) as [Timing, Timing, Timing, Timing, Timing];

// Cross-check: the check must flag exactly the notes made stale, and nobody may have written.
const flagged = [...new Set([...ours.stdout.matchAll(/^(?:.*\/)?notes\/(\S+?\.md):\d+:\d+: /gm)].map((m) => m[1] as string))].sort();
const crossCheck = JSON.stringify(flagged) === JSON.stringify(corpus.staleTocs);
const untouched = corpusHash(corpus.files) === before;

const rows = [startup, ours, oursNode, doctoc, markdownToc];
console.log(`\n${'command'.padEnd(40)} ${'best ms'.padStart(9)} ${'median ms'.padStart(10)} ${'vs ours'.padStart(8)}  exit`);
for (const row of rows) {
  const ratio = row === startup ? '' : `${(row.median / ours.median).toFixed(2)}x`;
  console.log(`${row.name.padEnd(40)} ${row.best.toFixed(0).padStart(9)} ${row.median.toFixed(0).padStart(10)} ${ratio.padStart(8)}  ${row.status}`);
}
console.log('(vs ours: median wall time of the row / median of "ours: tsx"; all rows include process start-up)');
console.log(`\nours flags exactly the ${corpus.staleTocs.length} stale notes: ${crossCheck ? 'yes' : `NO (flagged ${flagged.length})`}`);
console.log(`bundled run prints the same: ${oursNode.stdout === ours.stdout ? 'yes' : 'NO'}`);
console.log(`corpus unchanged by all commands: ${untouched ? 'yes' : 'NO'}`);
for (const row of [ours, oursNode]) {
  const verdicts = [
    `< 2000 ms: ${row.median < 2000 ? 'yes' : 'no'}`,
    `faster than doctoc: ${row.median < doctoc.median ? 'yes' : 'no'}`,
    `faster than markdown-toc: ${row.median < markdownToc.median ? 'yes' : 'no'}`,
  ];
  console.log(`target, ${row.name}: ${verdicts.join(', ')}`);
}
process.exitCode = crossCheck && untouched && oursNode.stdout === ours.stdout && ours.status === (corpus.staleTocs.length > 0 ? 1 : 0) ? 0 : 1;
