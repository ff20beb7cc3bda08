/**
 * TOC bench: `tsx bench/toc.ts [--notes N] [--runs R] [--seed S]`.
 *
 * Generates the corpus (bench/corpus.ts) into bench/.corpus, then times on the
 * same files, as whole commands (process start-up included), best and median
 * of R runs:
 * - ours:         tsx scripts/toc.ts --check --quiet bench/.corpus/notes
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

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const corpusDir = path.join(benchDir, '.corpus');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) ? value : fallback;
}

const notes = option('notes', 1000);
const runs = option('runs', 3);
const seed = option('seed', 1);

interface Timing {
  name: string;
  best: number;
  median: number;
  status: number | null;
  stdout: string;
}

function time(name: string, command: string, args: string[], cwd = repoRoot): Timing {
  const walls: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    last = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (last.error) throw last.error;
  }
  walls.sort((a, b) => a - b);
  return { name, best: walls[0] ?? 0, median: walls[Math.floor(walls.length / 2)] ?? 0, status: last?.status ?? null, stdout: String(last?.stdout ?? '') };
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
const notesRel = path.relative(repoRoot, corpus.notesDir);
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

const startup = time('startup (tsx scripts/toc.ts --help)', tsx, ['scripts/toc.ts', '--help']);
const ours = time('ours: toc --check', tsx, ['scripts/toc.ts', '--check', '--quiet', notesRel]);
const doctoc = time('doctoc --dryrun', process.execPath, [path.join(benchDir, 'node_modules', 'doctoc', 'doctoc.js'), '--dryrun', corpus.notesDir]);
const markdownToc = time('markdown-toc (API, 1 process)', process.execPath, ['-e', markdownTocScript, corpus.notesDir], benchDir);

// Cross-check: the check must flag exactly the notes made stale, and nobody may have written.
const flagged = [...new Set([...ours.stdout.matchAll(/^(?:.*\/)?notes\/(\S+?\.md):\d+:\d+: /gm)].map((m) => m[1] as string))].sort();
const crossCheck = JSON.stringify(flagged) === JSON.stringify(corpus.staleTocs);
const untouched = corpusHash(corpus.files) === before;

const rows = [startup, ours, doctoc, markdownToc];
console.log(`\n${'command'.padEnd(40)} ${'best ms'.padStart(9)} ${'median ms'.padStart(10)} ${'vs ours'.padStart(8)}  exit`);
for (const row of rows) {
  const ratio = row === startup ? '' : `${(row.median / ours.median).toFixed(2)}x`;
  console.log(`${row.name.padEnd(40)} ${row.best.toFixed(0).padStart(9)} ${row.median.toFixed(0).padStart(10)} ${ratio.padStart(8)}  ${row.status}`);
}
console.log(`\nours flags exactly the ${corpus.staleTocs.length} stale notes: ${crossCheck ? 'yes' : `NO (flagged ${flagged.length})`}`);
console.log(`corpus unchanged by all commands: ${untouched ? 'yes' : 'NO'}`);
const fastest = ours.median < doctoc.median && ours.median < markdownToc.median;
const target = ours.median < 2000;
console.log(`target (faster than both, < 2000 ms): ${fastest && target ? 'met' : 'NOT met'}`);
process.exitCode = crossCheck && untouched && ours.status === (corpus.staleTocs.length > 0 ? 1 : 0) ? 0 : 1;
