/**
 * Where bubblewrap cannot make a sandbox (macOS, a container without user
 * namespaces), simulated by pointing the settings at a missing binary: in
 * `auto` mode examples run unsandboxed after ONE warning naming what is not
 * isolated; with `required` (config or KB_SANDBOX=required) they fail with a
 * clear message instead of running.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCode, type CodeJob } from '../../src/run/runners/index.ts';
import { defaultSandbox, runSettings, SettingsError, type RunSettings } from '../../src/run/settings.ts';
import { SandboxUnavailableError, useBwrap } from '../../src/run/sandbox/launcher.ts';
import { checkBwrap, trustBwrapCheck } from '../../src/run/sandbox/bwrap.ts';

const root = path.resolve(import.meta.dirname, '../..');
const missing = '/nonexistent/kb-test/bwrap';

function job(settings: RunSettings, runner: CodeJob['runner'], code: string): CodeJob {
  return { runner, file: path.join(root, 'notes', 'x.md'), root, code, firstLine: 1, setup: [], teardown: [], timeoutMs: 10_000, hashSeed: '0', flags: [], settings, sandbox: defaultSandbox(settings) };
}

describe('without bubblewrap', () => {
  it('auto: one warning naming what is not isolated, then examples run as before', async () => {
    const settings = runSettings({ bwrap: missing });
    const warnings: string[] = [];
    expect(useBwrap(settings, (t) => warnings.push(t))).toBe(false);
    expect(useBwrap(settings, (t) => warnings.push(t))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/WITHOUT a sandbox: .*kb-test\/bwrap was not found \(install the bubblewrap package\)/);
    expect(warnings[0]).toMatch(/read the run's environment through \/proc, write into the repository and node_modules, use the network, and leave processes running/);
    const r = await runCode(job(settings, 'sh', 'echo ran'));
    expect(r.status).toBe('passed');
    expect(r.stdout).toBe('ran\n');
  });

  it.each(['sh', 'js'] as const)('required: a %s example fails with the reason instead of running', async (runner) => {
    const settings = runSettings({ bwrap: missing, sandbox: 'required' });
    const r = await runCode(job(settings, runner, runner === 'sh' ? 'echo ran' : 'console.log("ran")'));
    expect(r.status).toBe('crashed');
    expect(r.stdout).toBe('');
    expect(r.message).toMatch(/the sandbox is required \(sandbox: 'required' or KB_SANDBOX=required\) but bubblewrap is unusable: .*was not found/);
  });

  it('required: Python examples are refused with the same message', async () => {
    const settings = runSettings({ bwrap: missing, sandbox: 'required' });
    const { PythonPool } = await import('../../src/run/runners/python/pool.ts');
    const pool = new PythonPool({ settings });
    await expect(pool.run({ kind: 'exec', filename: '/x.md', code: 'print(1)', firstLine: 1, timeoutMs: 5000 })).rejects.toThrow(SandboxUnavailableError);
    await pool.close();
  });

  it('a verdict handed over from the run\'s global setup is taken as is, not tried again', () => {
    // A test worker trusts the check the global setup made; tried here, this binary would fail.
    const handedOver = '/nonexistent/kb-test/trusted-bwrap';
    trustBwrapCheck(handedOver, { ok: true });
    expect(checkBwrap(handedOver)).toEqual({ ok: true });
    expect(useBwrap(runSettings({ bwrap: handedOver, sandbox: 'required' }))).toBe(true);
    expect(checkBwrap(missing).ok).toBe(false);
  });

  it('KB_SANDBOX overrides the configuration, and a wrong value is a clear error', () => {
    expect(runSettings({ sandbox: 'auto' }, { KB_SANDBOX: 'required' }).sandbox).toBe('required');
    expect(() => runSettings({}, { KB_SANDBOX: 'strict' })).toThrow(SettingsError);
    expect(() => runSettings({}, { KB_SANDBOX: 'strict' })).toThrow('KB_SANDBOX is "strict"; use one of "auto", "required", "off"');
  });
});
