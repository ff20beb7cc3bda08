/**
 * Link-check bench: `tsx bench/links.ts [--notes N] [--runs R] [--seed S]`.
 *
 * Generates the corpus (bench/corpus.ts) into bench/.corpus, then times on the
 * same files, as whole commands (process start-up included), best and median
 * of R runs, all with the corpus as working directory (= repository root):
 * - ours:          tsx src/cli/bin.ts links             (the offline check, fast scanner)
 * - ours, bundled: node links.mjs                       (same CLI bundled by esbuild: no TypeScript loader)
 * - ours, full:    tsx src/cli/bin.ts links --full-parse (every note through the shared parser)
 * - remark-validate-links through remark-cli, with remark-gfm and
 *   remark-frontmatter so it parses exactly what we parse:
 *     remark --use remark-gfm --use remark-frontmatter
 *            --use remark-validate-links=repository:false --quiet --frail notes
 * - the same without remark-gfm and remark-frontmatter (the plain command:
 *   remark --use remark-validate-links --quiet --frail notes)
 * and checks that both report the same broken links.
 * The peers live in their own package (bench/links/package.json), installed with
 * `npm ci --prefix bench/links` when bench/links/node_modules is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './corpus.ts';
import { numberOption } from './options.ts';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const peersDir = path.join(benchDir, 'links');
const peers = path.join(peersDir, 'node_modules');
const corpusDir = path.join(benchDir, '.corpus');

const notes = numberOption('notes', 1000);
const runs = numberOption('runs', 3);
const seed = numberOption('seed', 1);

interface Timing {
  name: string;
  best: number;
  median: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

function time(name: string, command: string, args: string[]): Timing {
  const walls: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    last = spawnSync(command, args, { cwd: corpusDir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (last.error) throw last.error;
  }
  walls.sort((a, b) => a - b);
  return {
    name,
    best: walls[0] ?? 0,
    median: walls[Math.floor(walls.length / 2)] ?? 0,
    status: last?.status ?? null,
    stdout: String(last?.stdout ?? ''),
    stderr: String(last?.stderr ?? ''),
  };
}

const version = (pkg: string): string => (JSON.parse(readFileSync(path.join(peers, pkg, 'package.json'), 'utf8')) as { version: string }).version;

/** `notes/x.md:12:5` of every problem in our output. */
function ourPlaces(stdout: string): Set<string> {
  return new Set(stdout.split('\n').filter(Boolean).map((line) => /^(.+?:\d+:\d+):/.exec(line)?.[1] ?? line));
}

/** Same places from vfile-reporter's output: a file line, then `line:column[-…]  warning  …` lines. */
function remarkPlaces(output: string): Set<string> {
  const places = new Set<string>();
  let file = '';
  for (const line of output.split('\n')) {
    if (/^\S.*\.md$/.test(line)) file = line.trim();
    const match = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(?:warning|error)\s/.exec(line);
    if (match && file) places.add(`${file}:${match[1]}:${match[2]}`);
  }
  return places;
}

if (!existsSync(peers)) {
  console.log('installing the peers: npm ci --prefix bench/links');
  const install = spawnSync('npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  if (install.status !== 0) process.exit(install.status ?? 1);
}

const corpus = generateCorpus({ dir: corpusDir, notes, seed });
const planted = corpus.links.filter((link) => link.broken).length;
console.log(`corpus: ${corpus.files.length} notes, ${(corpus.bytes / 1e6).toFixed(1)} MB, ${corpus.links.length} links between notes, ${planted} broken on purpose (+ stale TOC entries)`);
console.log(`machine: node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (shared machine: compare within one run)`);

const { VITEST_EXTERNALS } = await import('./options.ts');
const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
const script = path.join(repoRoot, 'src', 'cli', 'bin.ts');
const bundle = path.join(corpusDir, '.build', 'links.mjs');
mkdirSync(path.dirname(bundle), { recursive: true });
const built = spawnSync(
  path.join(peers, '.bin', 'esbuild'),
  [script, '--bundle', '--platform=node', '--format=esm', `--outfile=${bundle}`, '--log-level=warning', ...VITEST_EXTERNALS.map((name) => `--external:${name}`), '--banner:js=import { createRequire as kbCreateRequire } from "node:module"; const require = kbCreateRequire(import.meta.url);'],
  { cwd: repoRoot, encoding: 'utf8' },
);
if (built.status !== 0) throw new Error(`esbuild failed: ${built.stderr}`);

const plugin = (name: string): string => path.join(peers, name, 'index.js');
const remarkArgs = (extra: string[]): string[] => [
  path.join(peers, 'remark-cli', 'cli.js'),
  '--no-config',
  '--no-ignore',
  '--no-color',
  ...extra,
  '--use',
  `${plugin('remark-validate-links')}=repository:false`,
  '--quiet',
  '--frail',
  'notes',
];

const timings = [
  time('ours (kb links)', tsx, [script, 'links']),
  time('ours, bundled (node links.mjs)', process.execPath, [bundle, 'links']),
  time('ours, --full-parse', tsx, [script, 'links', '--full-parse']),
  time('remark-validate-links (gfm + frontmatter)', process.execPath, remarkArgs(['--use', plugin('remark-gfm'), '--use', plugin('remark-frontmatter')])),
  time('remark-validate-links (plain remark)', process.execPath, remarkArgs([])),
];
const [ours, , , remark] = timings as [Timing, Timing, Timing, Timing];

console.log(`\nremark-cli ${version('remark-cli')}, remark-validate-links ${version('remark-validate-links')}, remark-gfm ${version('remark-gfm')}, remark-frontmatter ${version('remark-frontmatter')}`);
console.log(`wall time, best / median of ${runs} (process start-up included):`);
for (const t of timings) {
  console.log(`  ${t.name.padEnd(44)} ${(t.best / 1000).toFixed(2).padStart(6)} s / ${(t.median / 1000).toFixed(2).padStart(6)} s   exit ${t.status}`);
}
console.log(`ratio remark-validate-links / ours (best): ${(remark.best / ours.best).toFixed(1)}x`);

const mine = ourPlaces(ours.stdout);
const theirs = remarkPlaces(remark.stdout + remark.stderr);
const same = [...mine].filter((place) => theirs.has(place)).length;
console.log(`problems: ours ${mine.size}, remark-validate-links ${theirs.size}, at the same link ${same}`);
for (const t of timings.slice(1, 3)) {
  if (t.stdout !== ours.stdout) console.log(`WARNING: ${t.name} printed something else than ours`);
}
if (ours.best > 2000) console.log(`note: ours took ${(ours.best / 1000).toFixed(2)} s, above the 2 s target on this run`);
