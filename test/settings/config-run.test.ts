/** The configuration's `run` ("all" | "marked"), per file through overrides, validated like every key. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsFor } from '../../src/config/index.ts';

function project(config: object): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-settings-run-'));
  writeFileSync(path.join(root, 'kb.config.json'), JSON.stringify(config));
  return root;
}

describe('config run', () => {
  it('defaults to all; overrides narrow it to some notes', async () => {
    const config = await loadConfig({ root: project({ overrides: [{ files: 'notes/guide/**', run: 'marked' }] }), env: {} });
    expect(config.run).toBe('all');
    expect(settingsFor(config, 'notes/guide/a.md').run).toBe('marked');
    expect(settingsFor(config, 'notes/b.md').run).toBe('all');
  });

  it('an unknown value or a near-miss key is an error', async () => {
    await expect(loadConfig({ root: project({ run: 'some' }), env: {} })).rejects.toThrow(ConfigError);
    await expect(loadConfig({ root: project({ run: 'some' }), env: {} })).rejects.toThrow(/run: expected one of "all", "marked", got "some"/);
    await expect(loadConfig({ root: project({ runs: 'marked' }), env: {} })).rejects.toThrow(/unknown key "runs" \(did you mean "run"\?\)/);
  });
});
