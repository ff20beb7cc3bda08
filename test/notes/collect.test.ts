/**
 * Which files are notes is decided once (src/notes/collect.ts), and every
 * entry point (vitest, toc, links, report, update) lists the same notes, on a
 * tree with a symlinked note, a dot folder, an excluded file, node_modules and
 * a symlink loop.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { loadConfig } from '../../src/config/index.ts';
import { collectNotes, noteMatcher } from '../../src/notes/collect.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = path.join(REPO, 'node_modules/.bin/tsx');
const fence = '```';

/** Every file has a stale TOC, a broken link and a stale output, so each command names each note it sees. */
const noteText = (title: string) =>
  [`# ${title}`, '', '## Contents', '', '- [Wrong](#wrong)', '', '## Section', '', '[broken](missing-file.md)', '', `${fence}python`, 'print("new")', fence, '', `${fence}output`, 'old', fence, ''].join('\n');

function tree(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'kb-notes-'));
  const write = (rel: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), noteText(rel));
  };
  for (const rel of ['README.md', 'notes/a.md', 'notes/sub/b.md', 'notes/.hidden/h.md', 'notes/drafts/d.md', 'notes/node_modules/pkg/n.md', 'shared/linked.md']) write(rel);
  symlinkSync('../shared/linked.md', path.join(root, 'notes/link.md'));
  symlinkSync('..', path.join(root, 'notes/loop'));
  symlinkSync('missing-target.md', path.join(root, 'notes/broken-link.md'));
  writeFileSync(path.join(root, 'kb.config.json'), JSON.stringify({ exclude: ['notes/drafts/**'] }));
  return root;
}

const NOTES = ['README.md', 'notes/a.md', 'notes/link.md', 'notes/sub/b.md'];

const env = () => {
  const e = { ...process.env };
  for (const key of Object.keys(e)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV') delete e[key];
  return e;
};

function cli(root: string, script: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [path.join(REPO, 'src', 'cli', 'bin.ts'), script.replace(/\.ts$/, ''), ...args], { cwd: root, encoding: 'utf8', env: env(), timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const unique = (list: Iterable<string>) => [...new Set(list)].sort();

describe('collectNotes', () => {
  it('follows the config: globs, exclude, no dot folders or node_modules, symlinks once under their link path', async () => {
    const root = tree();
    const config = await loadConfig({ root, env: {} });
    expect(collectNotes(config).files.map((f) => path.relative(root, f))).toEqual(NOTES);
    expect(collectNotes({ ...config, dotFolders: true }).files.map((f) => path.relative(root, f))).toEqual([...NOTES.slice(0, 2), 'notes/.hidden/h.md', ...NOTES.slice(2)].sort());
  });

  it('selects by path (file or folder) and names the paths that select nothing', () => {
    const root = tree();
    const config = { ...defaultConfig(root), exclude: ['notes/drafts/**'] };
    expect(collectNotes(config, ['notes/sub', 'notes/link.md', 'notes/drafts', 'nope.md'], root)).toEqual({
      files: [path.join(root, 'notes/link.md'), path.join(root, 'notes/sub/b.md')],
      unmatched: ['notes/drafts', 'nope.md'],
    });
  });

  it('lists a file reached both directly and through a link once, under its own path', () => {
    const root = tree();
    symlinkSync('a.md', path.join(root, 'notes/alias.md'));
    const files = collectNotes(defaultConfig(root)).files.map((f) => path.relative(root, f));
    expect(files).toContain('notes/a.md');
    expect(files).not.toContain('notes/alias.md');
  });

  it('noteMatcher answers by name, for watch mode', () => {
    const is = noteMatcher({ ...defaultConfig('/kb'), exclude: ['notes/drafts/**'] });
    expect([is('/kb/notes/new.md'), is('notes/x/y.md'), is('/kb/notes/.hidden/h.md'), is('/kb/notes/drafts/d.md'), is('/kb/notes/node_modules/a.md'), is('/elsewhere/notes/a.md'), is('/kb/README.md')]).toEqual([true, true, false, false, false, false, true]);
  });
});

describe('every entry point lists the same notes', () => {
  it('vitest, toc, links, report and update', () => {
    const root = tree();
    const vitest = JSON.parse(execFileSync(TSX, [path.join(REPO, 'test/notes/vitest-child.ts'), 'list', root], { cwd: REPO, encoding: 'utf8', env: env() }).trim().split('\n').pop()!) as string[];
    expect(vitest).toEqual(NOTES);

    const toc = cli(root, 'toc.ts', ['--check', '--no-index']);
    expect(unique([...toc.stdout.matchAll(/^--- (\S+) \(current\)$/gm)].map((m) => m[1]!))).toEqual(NOTES);

    const links = cli(root, 'links.ts', []);
    expect(unique(links.stdout.split('\n').filter(Boolean).map((l) => l.split(':')[0]!))).toEqual(NOTES);

    const out = mkdtempSync(path.join(tmpdir(), 'kb-notes-report-'));
    cli(root, 'report.ts', ['--out', out, '-q']);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as { notes: Array<{ path: string }> };
    expect(report.notes.map((n) => n.path).sort()).toEqual(NOTES);

    const update = cli(root, 'update.ts', ['--dry-run']);
    expect(unique([...update.stdout.matchAll(/^--- (\S+)$/gm)].map((m) => m[1]!))).toEqual(NOTES);
  }, 600_000);
});

describe('toc', () => {
  it('checks the TOC of the root README (a note) but keeps it out of the notes index', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-notes-toc-'));
    mkdirSync(path.join(root, 'notes'));
    // The notes index is opt-in.
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ kb: { index: 'notes/README.md' } }));
    writeFileSync(path.join(root, 'README.md'), '# Project\n\n## Contents\n\n- [Wrong](#wrong)\n\n## Usage\n');
    writeFileSync(path.join(root, 'notes', 'a.md'), '# A note\n\nIt says one thing.\n');
    writeFileSync(path.join(root, 'notes', 'README.md'), '# Notes\n\n<!-- index -->\n<!-- indexstop -->\n');
    expect(cli(root, 'toc.ts', []).status).toBe(0);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('- [Usage](#usage)');
    const index = readFileSync(path.join(root, 'notes', 'README.md'), 'utf8');
    expect(index).toContain('(a.md)');
    expect(index).not.toContain('../README.md');
    expect(cli(root, 'toc.ts', ['--check']).status).toBe(0);
  }, 60_000);
});

describe('watch mode', () => {
  it('reruns a note when a file it includes, a script it links or a file its links point at changes', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kb-watch-'));
    mkdirSync(path.join(root, 'notes'));
    writeFileSync(path.join(root, 'notes/lib.py'), 'X = 1\n');
    writeFileSync(path.join(root, 'notes/script.py'), 'print("script")\n');
    writeFileSync(path.join(root, 'notes/data.txt'), 'data\n');
    writeFileSync(path.join(root, 'notes/other.md'), '# Other\n');
    writeFileSync(
      path.join(root, 'notes/main.md'),
      ['# Main', '', '<!-- include lib.py -->', `${fence}python`, 'X = 1', fence, '', 'Run [the script](script.py), read [the data](data.txt) and [the other note](other.md).', ''].join('\n'),
    );
    writeFileSync(path.join(root, 'notes/unrelated.md'), '# Unrelated\n');
    // The last step fails a note, so vitest's exit status is 1: read what it printed.
    const child = spawnSync(TSX, [path.join(REPO, 'test/notes/vitest-child.ts'), 'watch', root, 'notes/lib.py', 'notes/script.py', 'notes/data.txt', 'notes/other.md', '-notes/data.txt'], { cwd: REPO, encoding: 'utf8', env: env(), timeout: 240_000 });
    const reruns = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, string[]>;
    expect(reruns['notes/lib.py']).toEqual(['notes/main.md']);
    expect(reruns['notes/script.py']).toEqual(['notes/main.md']);
    expect(reruns['notes/data.txt']).toEqual(['notes/main.md']);
    expect(reruns['notes/other.md']).toEqual(['notes/main.md', 'notes/other.md']);
    // The rerun reads the note afresh: its links case now sees the target gone.
    expect(reruns['-notes/data.txt']).toEqual(['notes/main.md (failed)']);
  }, 300_000);
});
