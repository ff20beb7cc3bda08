/**
 * Every `kb` command, in process, on small projects written here: the same flags everywhere,
 * `--config FILE` through the one loader, `--json` shapes (pinned key by key), exit status 2
 * for bad usage and for no notes, `links.external` from the configuration, and the options of
 * a `kb()` call in vitest.config read when the project has no kb configuration.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMON_OPTIONS, declaredFlags, flagsInHelp, type OptionSpecs } from '../../src/cli/args.ts';
import { COMMANDS, runKb } from '../../src/cli/main.ts';
import { LINKS_OPTIONS, USAGE as LINKS_USAGE } from '../../src/links/cli/args.ts';
import { MUTATE_OPTIONS, USAGE as MUTATE_USAGE } from '../../src/mutate/cli.ts';
import { REPORT_OPTIONS, USAGE as REPORT_USAGE } from '../../src/report/cli.ts';
import { TOC_OPTIONS, USAGE as TOC_USAGE } from '../../src/toc/cli.ts';
import { UPDATE_OPTIONS, USAGE as UPDATE_USAGE } from '../../src/update/cli.ts';

const REPO = path.resolve(import.meta.dirname, '../..');
const fence = '```';

/** A fresh project folder with these files (paths relative to it). */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-commands-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

async function kb(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runKb(argv, { cwd, env: {}, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m;
const DOCS_CONFIG = JSON.stringify({ notes: ['docs/**/*.md'] }, null, 2);
const GUIDE = `# Guide\n\n<!-- toc -->\n<!-- tocstop -->\n\n## Add\n\n[gone](gone.md)\n`;

const SPECS: Record<string, { usage: string; options: OptionSpecs }> = {
  toc: { usage: TOC_USAGE, options: TOC_OPTIONS },
  links: { usage: LINKS_USAGE, options: LINKS_OPTIONS },
  update: { usage: UPDATE_USAGE, options: UPDATE_OPTIONS },
  report: { usage: REPORT_USAGE, options: REPORT_OPTIONS },
  mutate: { usage: MUTATE_USAGE, options: MUTATE_OPTIONS },
};

describe('the same flags everywhere', () => {
  it('every command is listed here', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it.each(Object.keys(SPECS))('kb %s: its help documents exactly the flags it takes, the common ones included', (command) => {
    const { usage, options } = SPECS[command]!;
    expect(flagsInHelp(usage)).toEqual(declaredFlags(options));
    for (const name of Object.keys(COMMON_OPTIONS)) expect(declaredFlags(options)).toContain(`--${name}`);
  });

  it.each(Object.keys(SPECS))('kb %s --help: the help on stdout, exit 0', async (command) => {
    const result = await kb(project({}), command, '--help');
    expect(result).toEqual({ code: 0, stdout: `${SPECS[command]!.usage}\n`, stderr: '' });
  });

  it.each(Object.keys(SPECS))('kb %s: an unknown flag is one line with "did you mean", exit 2', async (command) => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/guide.md': GUIDE });
    expect(await kb(root, command, '--jsno')).toEqual({
      code: 2,
      stdout: '',
      stderr: `${command}: unknown option --jsno (did you mean --json?); \`kb ${command} --help\` lists the options\n`,
    });
    const root2 = await kb(root, command, '--root', 'no-such-folder');
    expect(root2).toEqual({ code: 2, stdout: '', stderr: `${command}: --root no-such-folder: no such folder; \`kb ${command} --help\` lists the options\n` });
  });

  it.each(Object.keys(SPECS))('kb %s: a path that does not exist, or holds no note, is one line, exit 2', async (command) => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/guide.md': GUIDE, 'empty/.keep': '' });
    expect(await kb(root, command, 'docs/nope.md')).toEqual({ code: 2, stdout: '', stderr: `${command}: no such file or folder: docs/nope.md; \`kb ${command} --help\` lists the options\n` });
    const empty = await kb(root, command, 'empty');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(new RegExp(`^${command}: (empty: no note there|no notes under)`));
    expect(empty.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each(Object.keys(SPECS))('kb %s without notes: exit 2, saying where it looked and how to point it elsewhere', async (command) => {
    const result = await kb(project({ 'package.json': '{}' }), command);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^${command}: no notes under .+ \\(notes are notes/\\*\\*/\\*\\.md, README\\.md: no configuration found, so the defaults\\); set "notes"`));
    expect(result.stderr).not.toMatch(STACK);
  });
});

describe('--config FILE', () => {
  it.each(Object.keys(SPECS))('kb %s --config: an unknown key in the file is an error at file:line:column with "did you mean", exit 2', async (command) => {
    const root = project({ 'config/kb.json': '{\n  "notes": ["docs/**/*.md"],\n  "sandbx": "off"\n}\n', 'docs/guide.md': GUIDE });
    const result = await kb(root, command, '--config', 'config/kb.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `${command}: the configuration cannot be used:\nconfig/kb.json:3:3: unknown key "sandbx" (did you mean "sandbox"?); known keys here: ${[
        'notes', 'exclude', 'dotFolders', 'overrides', 'languages', 'limits', 'network', 'run', 'python', 'bash', 'sandbox', 'toc', 'index', 'siteRoot', 'links', 'strict', 'debug',
      ].join(', ')} [config-unknown-key]\n`,
    );
  });

  it.each(Object.keys(SPECS))('kb %s --config: a file that does not exist, exit 2', async (command) => {
    const result = await kb(project({}), command, '--config', 'nope.json');
    expect(result).toEqual({ code: 2, stdout: '', stderr: `${command}: the configuration cannot be used:\nnope.json: configuration file nope.json does not exist [config-invalid-value]\n` });
  });

  it('the file given wins over the project\'s own configuration, and its globs are read from the root', async () => {
    const root = project({ 'kb.config.json': '{ "notes": ["other/**/*.md"] }', 'ci/kb.json': DOCS_CONFIG, 'docs/guide.md': GUIDE, 'other/ok.md': '# Ok\n' });
    const own = await kb(root, 'links', '--json');
    expect(own.code).toBe(0);
    const given = await kb(root, 'links', '--json', '--config', 'ci/kb.json');
    expect(given.code).toBe(1);
    expect(JSON.parse(given.stdout).problems.map((p: { file: string }) => p.file)).toEqual(['docs/guide.md']);
  });

  it('--config package.json reads its "kb" field', async () => {
    const root = project({ 'sub/package.json': JSON.stringify({ name: 'x', kb: { notes: ['docs/**/*.md'] } }), 'docs/guide.md': GUIDE });
    const result = await kb(root, 'toc', '--check', '--config', 'sub/package.json');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('toc: 1 note: 0 current, 1 stale');
  });

  it('--root DIR: the project is read from there; paths from the working directory', async () => {
    const parent = project({ 'kb/kb.config.json': DOCS_CONFIG, 'kb/docs/guide.md': GUIDE });
    const all = await kb(parent, 'toc', '--check', '--root', 'kb');
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('docs/guide.md');
    const one = await kb(parent, 'links', '--root', 'kb', 'kb/docs/guide.md');
    expect(one.code).toBe(1);
    expect(one.stdout).toMatch(/^docs\/guide\.md:8:1: .*gone\.md.*\[missing-file\]$/m);
  });
});

describe('--json shapes (README, "The kb command")', () => {
  it('kb toc --json: counts, the index, one entry per file (with its diff under --check), problems as kb links gives them', async () => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/guide.md': GUIDE, 'docs/plain.md': '# Plain\n' });
    const check = await kb(root, 'toc', '--check', '--json');
    expect(check.code).toBe(1);
    expect(check.stderr).toBe('');
    const json = JSON.parse(check.stdout);
    expect(Object.keys(json)).toEqual(['check', 'notes', 'current', 'stale', 'updated', 'absent', 'errors', 'warnings', 'index', 'files', 'problems']);
    expect(json).toMatchObject({ check: true, notes: 2, current: 0, stale: 1, updated: 0, absent: 1, errors: 0, warnings: 0, index: null });
    expect(json.files).toEqual([
      { file: 'docs/guide.md', status: 'stale', diff: expect.stringContaining('+- [Add](#add)') },
      { file: 'docs/plain.md', status: 'absent' },
    ]);
    for (const problem of json.problems) expect(Object.keys(problem)).toEqual(['file', 'line', 'column', 'ruleId', 'reason', 'severity']);
    const write = JSON.parse((await kb(root, 'toc', '--json')).stdout);
    expect(write).toMatchObject({ check: false, updated: 1, files: [{ file: 'docs/guide.md', status: 'updated' }, { file: 'docs/plain.md', status: 'absent' }] });
  });

  it('kb toc --json with a configured index names it and its status', async () => {
    const root = project({ 'kb.config.json': '{ "notes": ["notes/**/*.md"], "index": "notes/README.md" }', 'notes/README.md': '# KB\n\n<!-- index -->\n<!-- indexstop -->\n', 'notes/a.md': '# A\n\nAbout a.\n' });
    const json = JSON.parse((await kb(root, 'toc', '--check', '--json')).stdout);
    expect(json.index).toEqual({ file: 'notes/README.md', status: 'stale' });
    expect(JSON.parse((await kb(root, 'toc', '--json')).stdout).index).toEqual({ file: 'notes/README.md', status: 'updated' });
  });

  it('kb links --json: counts and problems', async () => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/guide.md': GUIDE });
    const json = JSON.parse((await kb(root, 'links', '--json')).stdout);
    expect(Object.keys(json)).toEqual(['notes', 'errors', 'warnings', 'problems']);
    expect(Object.keys(json.problems[0])).toEqual(['file', 'line', 'column', 'ruleId', 'reason', 'severity']);
  });

  it('kb update --json: the notes rewritten with their diffs, the cases that still fail, and nothing else on stdout', async () => {
    const root = project({
      'kb.config.json': DOCS_CONFIG,
      'docs/stale.md': `# Stale\n\n${fence}js\nconsole.log(1 + 2)\n${fence}\n\n${fence}output\n4\n${fence}\n`,
      'docs/fails.md': `# Fails\n\n${fence}js\nthrow new Error('broken on purpose')\n${fence}\n`,
    });
    const result = await kb(root, 'update', '--json');
    expect(result.code, result.stderr).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['dryRun', 'notes', 'updated', 'failures', 'notWritten', 'refused']);
    expect(json).toMatchObject({ dryRun: false, notes: 2, notWritten: [], refused: [] });
    expect(json.updated).toEqual([{ file: 'docs/stale.md', diff: expect.stringMatching(/^--- docs\/stale\.md\n\+\+\+ docs\/stale\.md\n[\s\S]*-4\n\+3\n/) }]);
    expect(json.failures).toEqual([{ file: 'docs/fails.md', line: 3, name: expect.any(String), reason: expect.stringContaining('broken on purpose') }]);
    expect(readFileSync(path.join(root, 'docs', 'stale.md'), 'utf8')).toContain('\n3\n');
  });

  it('kb mutate --json: the run\'s result, as saved to .kb/mutations.json', async () => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/plain.md': '# Plain\n\nNo claim here.\n' });
    const result = await kb(root, 'mutate', '--json', '--limit', '3');
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(['generatedAt', 'limit', 'notes']);
    expect(json).toMatchObject({ limit: 3, notes: [] });
    expect(JSON.parse(readFileSync(path.join(root, '.kb', 'mutations.json'), 'utf8'))).toEqual(json);
    expect((await kb(root, 'mutate', '--limit', '0')).stderr).toBe('mutate: --limit needs a whole number of 1 or more, not "0"; `kb mutate --help` lists the options\n');
  });

  it('kb report --json prints the document it writes to report.json', async () => {
    const root = project({ 'kb.config.json': DOCS_CONFIG, 'docs/ok.md': `# Ok\n\n${fence}js\nconsole.log('ok')\n${fence}\n` });
    const result = await kb(root, 'report', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync(path.join(root, '.kb', 'report', 'report.json'), 'utf8')));
  });
});

describe('the configuration reaches every command', () => {
  it('kb links: "links": {"external": true} in the configuration checks web links; --no-external does not', async () => {
    const root = project({
      'kb.config.json': JSON.stringify({ notes: ['docs/**/*.md'], links: { external: true } }),
      // Port 9 (discard) on the loopback refuses the connection at once.
      'docs/web.md': '# Web\n\n[down](http://127.0.0.1:9/x)\n',
    });
    const on = await kb(root, 'links', '--json', '--retries', '0', '--no-cache');
    expect(on.code).toBe(1);
    expect(JSON.parse(on.stdout).problems).toEqual([expect.objectContaining({ file: 'docs/web.md', ruleId: 'external-unreachable' })]);
    const off = await kb(root, 'links', '--json', '--no-external');
    expect(off.code).toBe(0);
  });

  it('kb update: a language the configuration turns off for a file is not run there, so its output is left as written', async () => {
    const off = `# Off\n\n${fence}js\nconsole.log(1 + 2)\n${fence}\n\n${fence}output\n4\n${fence}\n`;
    const root = project({
      'kb.config.json': JSON.stringify({ notes: ['docs/**/*.md'], overrides: [{ files: ['docs/off.md'], languages: { js: false } }] }),
      'docs/off.md': off,
      'docs/on.md': off.replace('# Off', '# On'),
    });
    const result = await kb(root, 'update');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(path.join(root, 'docs', 'off.md'), 'utf8')).toBe(off);
    expect(readFileSync(path.join(root, 'docs', 'on.md'), 'utf8')).toContain('\n3\n');
  });
});

describe('the options of kb() in vitest.config', () => {
  const plugin = pathToFileURL(path.join(REPO, 'src', 'vitest', 'index.ts')).href;
  const withVitestConfig = (config: string, files: Record<string, string> = {}) => {
    const root = project({ 'package.json': '{ "type": "module" }', 'vitest.config.mjs': config, 'docs/guide.md': GUIDE, ...files });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    return root;
  };

  it('are the configuration of a command when the project has no kb configuration', async () => {
    const root = withVitestConfig(`import { defineConfig } from 'vitest/config';\nimport kb from ${JSON.stringify(plugin)};\nexport default defineConfig({ plugins: [kb({ notes: ['docs/**/*.md'] })] });\n`);
    const result = await kb(root, 'links', '--json');
    expect(result.code, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout).problems.map((p: { file: string }) => p.file)).toEqual(['docs/guide.md']);
  });

  it('a kb configuration file wins, and then vitest.config is not even loaded', async () => {
    const root = withVitestConfig("throw new Error('loaded');\n// kb(", { 'kb.config.json': DOCS_CONFIG });
    expect((await kb(root, 'links')).code).toBe(1);
  });

  it('a vitest.config that cannot be loaded is one error naming it, exit 2', async () => {
    const root = withVitestConfig("import kb from 'kb-doctest/vitest';\nthrow new Error('broken on purpose');\n");
    const result = await kb(root, 'links');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^links: the configuration cannot be used:\nvitest\.config\.mjs: cannot load it to read the options of kb\(\): .*; put the settings in kb\.config\.json/);
    expect(result.stderr).not.toMatch(STACK);
  });

  it('unknown options in the kb() call are errors with "did you mean"', async () => {
    const root = withVitestConfig(`import { defineConfig } from 'vitest/config';\nimport kb from ${JSON.stringify(plugin)};\nexport default defineConfig({ plugins: [kb({ note: ['docs/**/*.md'] })] });\n`);
    const result = await kb(root, 'toc', '--check');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown key "note" (did you mean "notes"?)');
  });
});
