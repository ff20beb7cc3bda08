/**
 * The options of kb() read from a project's vitest config (src/config/vitest-options.ts) when it
 * has no kb configuration: in the root `plugins` and in the inline projects of `test.projects`;
 * calls that disagree, or a call in a project with a root of its own, are an error.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const PLUGIN = JSON.stringify(pathToFileURL(path.join(REPO, 'src', 'vitest', 'index.ts')).href);
const made: string[] = [];
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

/** A project whose vitest.config.mjs exports `config` (JS text, with `kb` and `defineConfig` imported). */
function project(config: string): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-vitest-options-'));
  made.push(root);
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module" }');
  writeFileSync(path.join(root, 'vitest.config.mjs'), `import { defineConfig } from 'vitest/config';\nimport kb from ${PLUGIN};\nexport default defineConfig(${config});\n`);
  mkdirSync(path.join(root, 'sub'));
  symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

async function load(root: string): Promise<{ notes: string[]; source: string } | string> {
  try {
    const config = await loadConfig({ root, env: {}, vitestConfig: true });
    return { notes: config.notes, source: config.source };
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

const FOUND = { notes: ['docs/**/*.md'], source: 'vitest.config.mjs (kb plugin options)' };
const DEFAULTS = { notes: ['notes/**/*.md', 'README.md'], source: 'defaults' };

describe('kb() in a vitest config', { timeout: 60_000 }, () => {
  it.each([
    ['the root plugins', `{ plugins: [kb({ notes: ['docs/**/*.md'] })] }`],
    ['an inline project', `{ test: { projects: [{ test: { name: 'unit' } }, { plugins: [kb({ notes: ['docs/**/*.md'] })], test: { name: 'docs' } }] } }`],
    ['a project given as a function', `{ test: { projects: [() => ({ plugins: [[kb({ notes: ['docs/**/*.md'] })]] })] } }`],
    ['a project given as a promise', `{ test: { projects: [Promise.resolve({ plugins: [Promise.resolve(kb({ notes: ['docs/**/*.md'] }))] })] } }`],
    ['the root and a project, with the same options', `{ plugins: [kb({ notes: ['docs/**/*.md'] })], test: { projects: [{ plugins: [kb({ notes: ['docs/**/*.md'] })] }] } }`],
    ['a project whose root is the root', `{ test: { projects: [{ root: '.', plugins: [kb({ notes: ['docs/**/*.md'] })] }] } }`],
  ])('in %s: its options are the configuration', async (_, config) => {
    expect(await load(project(config))).toEqual(FOUND);
  });

  it('two calls with different options: an error naming both places', async () => {
    const root = project(`{ plugins: [kb({ notes: ['docs/**/*.md'] })], test: { projects: [{ test: { name: 'a' } }, { plugins: [kb({ notes: ['other/**/*.md'] })] }] } }`);
    expect(await load(root)).toBe(
      'vitest.config.mjs: kb() is called in plugins and in test.projects[1].plugins with different options; give both the same, or put the settings in kb.config.json [config-invalid-value]',
    );
  });

  it('a call in a project with a root of its own: an error, not a guess at which root the globs mean', async () => {
    const root = project(`{ test: { projects: [{ root: 'sub', plugins: [kb({ notes: ['docs/**/*.md'] })] }] } }`);
    expect(await load(root)).toBe(
      'vitest.config.mjs: kb() is called in test.projects[0].plugins, whose project has its own root (sub); run the command with --root there, or put the settings in kb.config.json [config-invalid-value]',
    );
  });

  it('a project named by a path is not loaded (documented): the defaults', async () => {
    // The comment names kb(), so the config is loaded: what is skipped is the project's own file.
    const root = project(`{ test: { projects: ['sub'] } } /* kb() is called in sub/ */`);
    writeFileSync(path.join(root, 'sub', 'vitest.config.mjs'), `import kb from ${PLUGIN};\nexport default { plugins: [kb({ notes: ['docs/**/*.md'] })] };\n`);
    expect(await load(root)).toEqual(DEFAULTS);
  });
});
