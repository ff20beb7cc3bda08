/**
 * `vitest --project notes` in a user's project, with and without a `test.projects` of its own.
 * A light adoption fixture: a fresh folder outside the repository whose vitest config imports the
 * plugin from this repository's sources (the packed tarball is test/package/adoption.test.ts's job),
 * with this repository's node_modules linked in. vitest runs as a child process: it cannot run
 * inside the vitest running these tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../..');
const PLUGIN = pathToFileURL(path.join(REPO, 'src', 'vitest', 'index.ts')).href;

function userProject(test: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kb-project-filter-'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `import { defineConfig } from 'vitest/config';\nimport kb from ${JSON.stringify(PLUGIN)};\nexport default defineConfig({ plugins: [kb({ notes: ['docs/**/*.md'] })], test: ${test} });\n`,
  );
  mkdirSync(path.join(dir, 'docs'));
  writeFileSync(path.join(dir, 'docs', 'guide.md'), '# Guide\n\n```js\nconsole.log(2)\n```\n\n```output\n2\n```\n');
  mkdirSync(path.join(dir, 'test'));
  writeFileSync(path.join(dir, 'test', 'own.test.js'), "import { expect, it } from 'vitest';\nit('own test', () => expect(1).toBe(1));\n");
  return dir;
}

/** The test files vitest ran, relative to the project, and its exit status. */
function vitest(dir: string, ...args: string[]): { status: number | null; files: string[]; stderr: string } {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV' || key.startsWith('KB_')) delete env[key];
  const result = spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=json', ...args], {
    cwd: dir, env, encoding: 'utf8', timeout: 120_000,
  });
  let files: string[] = [];
  try {
    const report = JSON.parse(result.stdout) as { testResults: Array<{ name: string; status: string }> };
    files = report.testResults.map((file) => `${path.relative(dir, file.name)} ${file.status}`).sort();
  } catch {
    // No JSON: vitest failed before running anything; the status and stderr say why.
  }
  return { status: result.status, files, stderr: result.stderr };
}

describe('vitest --project in a user\'s project', () => {
  it.each([
    ['no projects of its own', '{}', 'notes', ['docs/guide.md passed']],
    ['no projects, and a name of its own', "{ name: 'unit' }", 'unit', ['test/own.test.js passed']],
    ['no projects: without a filter both run', '{}', undefined, ['docs/guide.md passed', 'test/own.test.js passed']],
    ['projects of its own', "{ projects: [{ test: { name: 'unit', include: ['test/**/*.test.js'] } }] }", 'notes', ['docs/guide.md passed']],
    ['projects of its own, filtered to its own', "{ projects: [{ test: { name: 'unit', include: ['test/**/*.test.js'] } }] }", 'unit', ['test/own.test.js passed']],
  ])('%s: --project %s', (_, test, project, files) => {
    const result = vitest(userProject(test), ...(project ? ['--project', project] : []));
    expect(result.files, result.stderr).toEqual(files);
    expect(result.status, result.stderr).toBe(0);
  });
});
