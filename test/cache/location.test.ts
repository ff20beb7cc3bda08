import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/cache/location.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'kb-cache-location-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the persistent cache stays in one place across runs', () => {
  it('a folder without package.json keeps its cache where it was after vitest creates node_modules/.vite in it', () => {
    const root = path.join(base, 'loose');
    mkdirSync(root);
    const first = defaultCacheDir(root);
    mkdirSync(path.join(root, 'node_modules', '.vite'), { recursive: true });
    expect(defaultCacheDir(root)).toBe(first);
  });
  it('a project keeps it in node_modules/.cache beside its package.json, also for notes in a subfolder', () => {
    const project = path.join(base, 'project');
    mkdirSync(path.join(project, 'docs'), { recursive: true });
    writeFileSync(path.join(project, 'package.json'), '{}');
    const before = defaultCacheDir(path.join(project, 'docs'));
    expect(before.startsWith(path.join(project, 'node_modules', '.cache', 'kb-doctest') + path.sep)).toBe(true);
    mkdirSync(path.join(project, 'node_modules', '.vite'), { recursive: true });
    expect(defaultCacheDir(path.join(project, 'docs'))).toBe(before);
  });
  it('two roots never share entries', () => {
    const project = path.join(base, 'project');
    expect(defaultCacheDir(path.join(project, 'docs'))).not.toBe(defaultCacheDir(project));
  });
});
