/**
 * The plugin's check of the notes index (src/vitest/structural.ts) follows the configuration's
 * "index": no check when none is configured, the configured file otherwise, wherever it is and
 * whatever its name, planned as `kb toc --check` plans it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKb } from '../../src/cli/main.ts';
import { defaultConfig, type KbConfig } from '../../src/config/index.ts';
import { buildLinkIndex } from '../../src/links/index.ts';
import { readNote } from '../../src/markdown/parse.ts';
import { indexFile, structuralCases } from '../../src/vitest/structural.ts';

const STALE = '# Notes\n\n<!-- index -->\n<!-- indexstop -->\n';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-structural-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

function config(root: string, index: KbConfig['index']): KbConfig {
  return { ...defaultConfig(root), index };
}

/** The index case of `file`'s structural cases, or undefined when it has none. */
function indexCaseOf(root: string, file: string, index: KbConfig['index']) {
  const cases = structuralCases(readNote(path.join(root, file), { root }), { root, links: buildLinkIndex({ root }), index: indexFile(config(root, index)) });
  return cases.find((c) => c.name === 'notes index is current');
}

describe('the notes index check', () => {
  it('is off when the configuration names no index, even for notes/README.md with markers', () => {
    const root = project({ 'notes/README.md': STALE, 'notes/a.md': '# A\n' });
    expect(indexFile(config(root, false))).toBeUndefined();
    expect(indexCaseOf(root, 'notes/README.md', false)).toBeUndefined();
  });

  it('checks the configured file, of any name, against the notes of its folder', () => {
    const root = project({ 'docs/index.md': STALE, 'docs/a.md': '# A\n\nAbout a.\n', 'notes/README.md': STALE });
    const stale = indexCaseOf(root, 'docs/index.md', { file: 'docs/index.md' });
    expect(stale?.failure).toMatch(/^the notes index is stale; run `kb toc` to regenerate it\n/);
    expect(stale?.failure).toContain('+- [A](a.md)');
    // notes/README.md is not the index here: no index case for it.
    expect(indexCaseOf(root, 'notes/README.md', { file: 'docs/index.md' })).toBeUndefined();
  });

  it('passes once `kb toc` has written the index: both read the same configuration', async () => {
    const root = project({ 'docs/index.md': STALE, 'docs/a.md': '# A\n\nAbout a.\n', 'docs/sub/b.md': '# B\n', 'kb.config.json': '{ "notes": ["docs/**/*.md"], "index": "docs/index.md" }' });
    const io = { cwd: root, env: {}, stdout: () => {}, stderr: () => {} };
    expect(await runKb(['toc'], io)).toBe(0);
    expect(indexCaseOf(root, 'docs/index.md', { file: 'docs/index.md' })).toMatchObject({ failure: undefined });
    writeFileSync(path.join(root, 'docs', 'c.md'), '# C\n');
    expect(indexCaseOf(root, 'docs/index.md', { file: 'docs/index.md' })?.failure).toContain('+- [C](c.md)');
  });

  it('a configured index without markers fails, saying it cannot be checked and why', () => {
    const root = project({ 'docs/index.md': '# Notes\n', 'docs/a.md': '# A\n' });
    const failing = indexCaseOf(root, 'docs/index.md', { file: 'docs/index.md' });
    expect(failing?.failure).toMatch(/^the notes index cannot be checked\n.*index-markers-missing/s);
    expect(failing?.problems).toEqual([expect.objectContaining({ file: 'docs/index.md', ruleId: 'index-markers-missing' })]);
  });
});
