/**
 * Interpreter facts are cached on disk and asked again whenever anything that
 * picks the interpreter changes. The "interpreter" here is a shell script that
 * counts how often it is asked and names a fake real executable.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { forgetResolvedPythons, resolvePython } from '../../src/run/runners/python/interpreter.ts';

let dir: string;
let shim: string;
let real: string;
let count: string;

const writeShim = (version: string) => {
  writeFileSync(shim, `#!/bin/sh\necho x >> "${count}"\necho '["${real}", [${version}]]'\n`);
  chmodSync(shim, 0o755);
};

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'kb-facts-'));
  shim = path.join(dir, 'bin', 'python3');
  real = path.join(dir, 'real-python');
  count = path.join(dir, 'count');
  rmSync(path.dirname(shim), { recursive: true, force: true });
  mkdirSync(path.dirname(shim), { recursive: true });
  writeFileSync(real, 'binary v1');
  writeShim('3, 11, 4');
  forgetResolvedPythons();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));


const probes = () => (existsSync(count) ? readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0);
const settings = () => ({ python: 'python3', pythonFromEnv: false, path: path.dirname(shim), hostEnv: { PATH: path.dirname(shim), HOME: dir } });
async function resolve() {
  forgetResolvedPythons();
  return resolvePython(settings(), { factsFile: path.join(dir, 'cache', 'interpreters.json'), cwd: dir });
}

it('asks once, then answers from disk', async () => {
  expect((await resolve()).versionString).toBe('3.11.4');
  expect((await resolve()).executable).toBe(real);
  expect(probes()).toBe(1);
});

it('asks again when the real executable changes', async () => {
  await resolve();
  writeFileSync(real, 'binary v2, longer');
  utimesSync(real, new Date(), new Date(Date.now() + 5000));
  await resolve();
  expect(probes()).toBe(2);
});

it('asks again when the command on PATH changes', async () => {
  await resolve();
  writeShim('3, 12, 1');
  utimesSync(shim, new Date(), new Date(Date.now() + 5000));
  expect((await resolve()).versionString).toBe('3.12.1');
});

it('asks again when a .python-version appears (a pyenv shim reads it)', async () => {
  await resolve();
  writeFileSync(path.join(dir, '.python-version'), '3.12\n');
  await resolve();
  expect(probes()).toBe(2);
});

it('a corrupt facts file is ignored', async () => {
  await resolve();
  writeFileSync(path.join(dir, 'cache', 'interpreters.json'), '{nope');
  expect((await resolve()).versionString).toBe('3.11.4');
  expect(probes()).toBe(2);
});

it('factsFile: false probes every time', async () => {
  forgetResolvedPythons();
  await resolvePython(settings(), { factsFile: false, cwd: dir });
  forgetResolvedPythons();
  await resolvePython(settings(), { factsFile: false, cwd: dir });
  expect(probes()).toBe(2);
});
