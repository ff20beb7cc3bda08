import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, languageRuns, loadConfig, parseSize, settingsFor } from '../../src/config/index.ts';

const made: string[] = [];
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-config-'));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}
afterEach(() => {
  for (const root of made.splice(0)) rmSync(root, { recursive: true, force: true });
});

async function problems(files: Record<string, string>, inline?: object, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await loadConfig({ root: project(files), inline: inline as never, env });
    return '';
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.message;
  }
}

describe('configuration', () => {
  it('has documented defaults when nothing is configured', async () => {
    const config = await loadConfig({ root: project({}), env: {} });
    expect(config.notes).toEqual(['notes/**/*.md', 'README.md']);
    expect(config.sandbox).toBe('auto');
    expect(config.limits.memory).toBe(1024 ** 3);
    expect(config.index).toBe(false);
    expect(config.source).toBe('defaults');
  });

  it.each([
    ['package.json', { 'package.json': JSON.stringify({ name: 'x', kb: { notes: ['docs/**/*.md'], limits: { memory: '2G' } } }) }],
    ['kb.config.json', { 'kb.config.json': JSON.stringify({ notes: 'docs/**/*.md', limits: { memory: 2 * 1024 ** 3 } }) }],
    ['kb.config.mjs', { 'kb.config.mjs': 'export default { notes: ["docs/**/*.md"], limits: { memory: "2048M" } };' }],
    ['kb.config.ts', { 'kb.config.ts': 'const notes: string[] = ["docs/**/*.md"];\nexport default { notes, limits: { memory: "2G" } } satisfies object;' }],
  ])('reads %s', async (source, files) => {
    const config = await loadConfig({ root: project(files), env: {} });
    expect(config.source).toBe(source);
    expect(config.notes).toEqual(['docs/**/*.md']);
    expect(config.limits.memory).toBe(2 * 1024 ** 3);
    expect(config.limits.timeout).toBe(10);
  });

  it('lets the plugin call win over a file, and the environment over both', async () => {
    const root = project({ 'kb.config.json': JSON.stringify({ sandbox: 'off', python: 'python3.11' }) });
    const config = await loadConfig({ root, inline: { sandbox: 'required' }, env: { KB_PYTHON: '/opt/py/bin/python3', KB_STRICT: '1' } });
    expect(config.sandbox).toBe('required');
    expect(config.python).toBe('/opt/py/bin/python3');
    expect(config.strict).toBe(true);
  });

  it.each([
    [{ 'kb.config.json': '{\n  "nots": ["docs/*.md"]\n}' }, 'kb.config.json:2:3: unknown key "nots" (did you mean "notes"?)'],
    [{ 'package.json': '{\n  "name": "x",\n  "kb": {\n    "limits": { "memroy": "1G" }\n  }\n}' }, 'package.json:4:17: unknown key "limits.memroy" (did you mean "limits.memory"'.replace('limits.memory', 'memory')],
    [{ 'kb.config.json': '{ "limits": { "memory": "lots" } }' }, 'limits.memory: expected a size'],
    [{ 'kb.config.json': '{ "sandbox": "yes" }' }, 'sandbox: expected one of "auto", "required", "off"'],
    [{ 'kb.config.json': '{ "toc": { "minDepth": 4, "maxDepth": 2 } }' }, 'minDepth (4) is greater than maxDepth (2)'],
    [{ 'kb.config.json': '{ "overrides": [{ "languages": { "sh": true } }] }' }, 'every override names the files it applies to'],
    [{ 'kb.config.json': '{}', 'kb.config.mjs': 'export default {}' }, 'two configuration files'],
    [{ 'kb.config.json': '{ not json' }, 'kb.config.json: cannot read the configuration'],
  ])('rejects bad configuration %#', async (files, expected) => {
    const message = await problems(files);
    expect(message).toContain(expected);
    expect(message).toMatch(/\[config-(unknown-key|invalid-value)\]/);
  });

  it('rejects unknown plugin options and environment values', async () => {
    expect(await problems({}, { note: ['x'] })).toContain('unknown key "note" (did you mean "notes"?)');
    expect(await problems({}, undefined, { KB_SANDBOX: 'maybe' })).toContain('KB_SANDBOX=maybe is not understood');
  });

  it('narrows settings per file with overrides; README shell fences do not run by default', async () => {
    const config = await loadConfig({
      root: project({ 'kb.config.json': JSON.stringify({ overrides: [{ files: 'notes/heavy/**', limits: { memory: '4G' }, network: true }] }) }),
      env: {},
    });
    const readme = settingsFor(config, 'README.md');
    expect(languageRuns(readme, 'sh', 'sh')).toBe(false);
    expect(languageRuns(readme, 'python', 'python')).toBe(true);
    const heavy = settingsFor(config, path.join(config.root, 'notes/heavy/a.md'));
    expect(heavy.limits.memory).toBe(4 * 1024 ** 3);
    expect(heavy.network).toBe(true);
    expect(settingsFor(config, 'notes/light.md').network).toBe(false);
  });

  it.each([
    ['1G', 1024 ** 3], ['512M', 512 * 1024 ** 2], ['1.5GiB', 1.5 * 1024 ** 3], ['64k', 65536], [4096, 4096],
    ['lots', undefined], [-1, undefined], ['0', undefined],
  ])('parses the size %s', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
});
