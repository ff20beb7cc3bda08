/**
 * A new project adopts the package as its users do: `npm pack`, install the
 * tarball and vitest from the registry into a fresh folder with its own
 * `docs/`, then run vitest and the `kb` command there. Once under npm's flat
 * `node_modules`, once under pnpm's symlinked one. Skipped, saying why, when
 * the registry cannot be reached (the build and the pack run once).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const INSTALL_TIMEOUT = 600_000;

/** The environment of a user's shell: none of this run's vitest variables. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV' || key.startsWith('KB_')) delete env[key];
  return env;
}

function run(command: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: userEnv(), encoding: 'utf8', timeout });
}

const registry = run('npm', ['view', 'vitest@^4.1.0', 'version', '--prefer-offline'], REPO, 60_000);
const registryProblem = registry.status === 0 ? undefined : `the npm registry cannot be reached (${(registry.stderr || registry.error?.message || '').split('\n')[0]})`;
if (registryProblem) console.warn(`test/package/adoption.test.ts skipped: ${registryProblem}`);

const GUIDE = [
  '# Guide', '', '<!-- toc -->', '<!-- tocstop -->', '', '## Add', '', '```js', 'console.log(1 + 1)', '```', '', '```output', '2', '```', '',
  'See [the missing page](missing.md).', '',
].join('\n');

let tarball = '';

/** A fresh project with a guide note and a test of its own that imports the note `?raw`. */
function newProject(layout: string, kbConfig: 'plugin' | 'package.json'): string {
  const dir = mkdtempSync(path.join(tmpdir(), `kb-adopt-${layout}-`));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: `adopt-${layout}`, version: '1.0.0', private: true, type: 'module', ...(kbConfig === 'package.json' ? { kb: { notes: ['docs/**/*.md'] } } : {}) }, null, 2),
  );
  writeFileSync(
    path.join(dir, 'vitest.config.js'),
    `import { defineConfig } from 'vitest/config';\nimport kb from 'kb-doctest/vitest';\nexport default defineConfig({ plugins: [kb(${kbConfig === 'plugin' ? "{ notes: ['docs/**/*.md'] }" : ''})] });\n`,
  );
  mkdirSync(path.join(dir, 'docs'));
  writeFileSync(path.join(dir, 'docs', 'guide.md'), GUIDE);
  mkdirSync(path.join(dir, 'test'));
  writeFileSync(
    path.join(dir, 'test', 'own.test.js'),
    "import { expect, it } from 'vitest';\nimport text from '../docs/guide.md?raw';\nit('reads a note as text', () => expect(text).toContain('## Add'));\n",
  );
  return dir;
}

function expectNoStack(result: SpawnSyncReturns<string>): void {
  expect(`${result.stdout}${result.stderr}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

/** What a user sees in the project: vitest and every kb command. */
function checkProject(dir: string, options: { report: boolean }): void {
  const kb = (...args: string[]) => run(path.join(dir, 'node_modules', '.bin', 'kb'), args, dir);

  const vitest = run(path.join(dir, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=json'], dir);
  expect(vitest.status, vitest.stderr).toBe(1);
  const results = JSON.parse(vitest.stdout) as { testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string }> }> };
  const outcomes = Object.fromEntries(
    results.testResults.flatMap((file) => file.assertionResults.map((t) => [`${path.relative(dir, file.name)} > ${t.title}`, t.status])),
  );
  expect(outcomes).toMatchObject({
    'test/own.test.js > reads a note as text': 'passed',
    'docs/guide.md > Add › example at line 8': 'passed',
    'docs/guide.md > links': 'failed',
  });

  // --project notes selects the notes whether or not the project lists projects of its own.
  const notesOnly = run(path.join(dir, 'node_modules', '.bin', 'vitest'), ['run', '--project', 'notes', '--reporter=json'], dir);
  expect(notesOnly.status, notesOnly.stderr).toBe(1);
  expect((JSON.parse(notesOnly.stdout) as { testResults: Array<{ name: string }> }).testResults.map((file) => path.relative(dir, file.name))).toEqual(['docs/guide.md']);

  // Without paths a command checks the configured notes: package.json's "kb", or the options of kb() in vitest.config.
  const configured = kb('links', '--json');
  expect(configured.status, configured.stderr).toBe(1);
  expect((JSON.parse(configured.stdout) as { problems: Array<{ file: string }> }).problems.map((p) => p.file)).toEqual(['docs/guide.md']);

  const links = kb('links', 'docs', '--json');
  expect(links.status, links.stderr).toBe(1);
  expect(JSON.parse(links.stdout).problems).toEqual([
    { file: 'docs/guide.md', line: 16, column: 5, ruleId: 'missing-file', reason: expect.stringContaining('missing.md'), severity: 'error' },
  ]);

  expect(kb('toc', '--check', 'docs').status).toBe(1);
  expect(kb('toc', 'docs').status).toBe(0);
  expect(readFileSync(path.join(dir, 'docs', 'guide.md'), 'utf8')).toContain('- [Add](#add)');
  expect(kb('toc', '--check', 'docs').status).toBe(0);

  if (options.report) {
    const report = kb('report', '--out', 'kb-report');
    expect(report.status, report.stderr).toBe(1);
    expect(readdirSync(path.join(dir, 'kb-report'))).toContain('report.json');
  }

  const missing = kb('links', 'no-such-folder');
  expect(missing.status).toBe(2);
  expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  const unknown = kb('lnks');
  expect(unknown.status).toBe(2);
  expect(unknown.stderr).toContain('did you mean "links"');
  expectNoStack(missing);
  expectNoStack(unknown);

  const help = kb('--help');
  expect(help.status).toBe(0);
  for (const command of ['toc', 'links', 'update', 'report', 'mutate']) expect(help.stdout).toContain(`  ${command} `);
  const typo = kb('toc', '--chek');
  expect(typo.status).toBe(2);
  expect(typo.stderr).toBe('toc: unknown option --chek (did you mean --check?); `kb toc --help` lists the options\n');
}

describe.skipIf(registryProblem !== undefined)('a new project installs the packed package', () => {
  beforeAll(() => {
    const build = run('npm', ['run', 'build'], REPO);
    expect(build.status, build.stderr).toBe(0);
    const out = mkdtempSync(path.join(tmpdir(), 'kb-pack-'));
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', out], REPO);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    // Users get JavaScript and declarations only: no TypeScript runtime, no sources.
    expect(info!.files.map((f) => f.path).filter((p) => /\.[cm]?ts$/.test(p) && !/\.d\.[cm]?ts$/.test(p))).toEqual([]);
    tarball = path.join(out, info!.filename);
  }, INSTALL_TIMEOUT);

  it('npm (flat node_modules): the plugin configured in vitest.config', () => {
    const dir = newProject('npm', 'plugin');
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, 'vitest@^4.1.0'], dir, INSTALL_TIMEOUT);
    expect(install.status, install.stderr).toBe(0);
    // The package's dev tools are not the user's: patch-package and tsx are not installed.
    expect(readdirSync(path.join(dir, 'node_modules'))).not.toContain('tsx');
    expect(readdirSync(path.join(dir, 'node_modules'))).not.toContain('patch-package');
    checkProject(dir, { report: false });
  }, INSTALL_TIMEOUT);

  const pnpm = registryProblem ? undefined : run('npx', ['--yes', 'pnpm@9', '--version'], REPO, 120_000);
  const pnpmProblem = pnpm && pnpm.status !== 0 ? `pnpm@9 cannot be fetched (${(pnpm.stderr || '').split('\n')[0]})` : undefined;
  if (pnpmProblem) console.warn(`pnpm layout skipped: ${pnpmProblem}`);

  it.skipIf(pnpmProblem !== undefined)('pnpm (symlinked node_modules): the configuration in package.json', () => {
    const dir = newProject('pnpm', 'package.json');
    const install = run('npx', ['--yes', 'pnpm@9', 'add', '--prefer-offline', tarball, 'vitest@^4.1.0'], dir, INSTALL_TIMEOUT);
    expect(install.status, `${install.stdout}\n${install.stderr}`).toBe(0);
    checkProject(dir, { report: true });
  }, INSTALL_TIMEOUT);
});
