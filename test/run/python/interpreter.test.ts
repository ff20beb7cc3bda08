import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PythonUnavailableError, resolvePython } from '../../../src/run/runners/python/interpreter.ts';
import { ENV_ALLOWLIST, runSettings } from '../../../src/run/settings.ts';
import { exampleEnv } from '../../../src/run/sandbox/env.ts';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-interp-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An executable script standing in for an interpreter. */
function fake(name: string, body: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, mode);
  return file;
}

describe('resolvePython', () => {
  it('finds the real interpreter behind python3 and reports its version', async () => {
    const info = await resolvePython(runSettings({}, { ...process.env, KB_PYTHON: '' }));
    expect(path.isAbsolute(info.executable)).toBe(true);
    expect(info.executable).not.toContain('/shims/');
    expect(info.version[0] * 100 + info.version[1]).toBeGreaterThanOrEqual(311);
    expect(info.versionString).toBe(info.version.join('.'));
  });

  it('asks the interpreter only once per process', async () => {
    const settings = runSettings({}, { ...process.env, KB_PYTHON: '' });
    expect(resolvePython(settings)).toBe(resolvePython(settings));
  });

  it.each([
    ['a missing path', () => '/nonexistent', /^Python not found: KB_PYTHON=\/nonexistent is not an executable\. Set KB_PYTHON to a Python 3\.11\+ interpreter, or put python3 on PATH\.$/],
    ['a file without the execute bit', () => fake('noexec', 'exit 0', 0o644), /KB_PYTHON=.*noexec is not executable\. Set KB_PYTHON/],
    ['a program that is not Python', () => fake('notpython', 'echo hello'), /KB_PYTHON=.*notpython did not answer like Python\. Set KB_PYTHON/],
    ['a program that fails', () => fake('failing', 'exit 2'), /KB_PYTHON=.*failing did not run as Python .*Set KB_PYTHON/],
    ['Python older than 3.11', () => fake('oldpython', `echo '["/usr/bin/python3.9", [3, 9, 2]]'`), /Python too old: KB_PYTHON=.*oldpython is Python 3\.9\.2 \(\/usr\/bin\/python3\.9\); need 3\.11\+\. Set KB_PYTHON/],
  ])('rejects %s with one clear sentence naming KB_PYTHON', async (_name, make, message) => {
    const error = await resolvePython(runSettings({}, { ...process.env, KB_PYTHON: make() })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PythonUnavailableError);
    expect((error as Error).message).toMatch(message);
  });

  it('says python3 is not on PATH when KB_PYTHON is unset and PATH has none', async () => {
    const error = await resolvePython(runSettings({}, { PATH: dir })).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'Python not found: python3 is not on PATH. Set KB_PYTHON to a Python 3.11+ interpreter, or put python3 on PATH.',
    );
  });

  it('makes PythonPool.run reject with the same error', async () => {
    const pool = new PythonPool({ settings: runSettings({}, { ...process.env, KB_PYTHON: '/nonexistent' }) });
    const run = pool.run({ kind: 'exec', filename: '/x.md', code: 'pass', firstLine: 1, timeoutMs: 1000 });
    await expect(run).rejects.toThrow(/KB_PYTHON=\/nonexistent is not an executable/);
    await pool.close();
  });
});

describe('exampleEnv', () => {
  it('keeps only the allow-list and sets the fixed variables', () => {
    const settings = runSettings({}, { PATH: '/usr/bin', TZ: 'UTC', GITHUB_TOKEN: 'secret', PYTHONPATH: '/evil', HOME: '/root' });
    const env = exampleEnv(settings, { home: '/tmp/home', tmp: '/tmp', python: '/opt/py/bin/python3', hashSeed: '7' });
    expect(Object.keys(env).sort()).toEqual(
      ['HOME', 'LANG', 'LC_ALL', 'PATH', 'PYTHONDONTWRITEBYTECODE', 'PYTHONHASHSEED', 'PYTHONIOENCODING', 'PYTHONNOUSERSITE', 'TEMP', 'TMP', 'TMPDIR', 'TZ'].sort(),
    );
    expect(env.PATH).toBe(`/opt/py/bin${path.delimiter}/usr/bin`);
    expect(env.PYTHONHASHSEED).toBe('7');
    expect(env.LANG).toBe('C.UTF-8');
    expect(env.HOME).not.toBe('/root');
    expect(ENV_ALLOWLIST).not.toContain('HOME');
  });
});
