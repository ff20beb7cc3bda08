/**
 * A checkout whose node_modules is a symlink (pnpm's layout): JavaScript
 * examples still resolve the project's packages and keep the note's line
 * numbers in their stack traces.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCode } from '../../src/run/runners/index.ts';
import { defaultSandbox, runSettings } from '../../src/run/settings.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'kb-pnpm-'));
const store = path.join(root, '.pnpm', 'node_modules');
mkdirSync(path.join(store, 'greeting'), { recursive: true });
writeFileSync(path.join(store, 'greeting', 'package.json'), JSON.stringify({ name: 'greeting', type: 'module', exports: './index.js' }));
writeFileSync(path.join(store, 'greeting', 'index.js'), 'export const hello = (who) => `hello ${who}`;\n');
symlinkSync(store, path.join(root, 'node_modules'));
mkdirSync(path.join(root, 'notes'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const settings = runSettings();

it.each(['js', 'ts'] as const)('%s: a package resolves and a thrown error names the note line', async (runner) => {
  const code = `import { hello } from 'greeting';\nconsole.log(hello('pnpm'));\nthrow new Error('boom');\n`;
  const file = path.join(root, 'notes', 'linked.md');
  const r = await runCode({ runner, file, root, code, firstLine: 20, setup: [], teardown: [], timeoutMs: 10_000, hashSeed: '0', flags: [], settings, sandbox: defaultSandbox(settings) });
  expect(r.stdout).toBe('hello pnpm\n');
  expect(r.status).toBe('failed');
  expect(r.exception?.line).toBe(22);
  expect(r.exception?.traceback).toContain(`${file}:22:`);
});
