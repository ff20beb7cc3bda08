/**
 * Note-level settings: `kb:` in front matter sets for the whole note what an
 * info string sets for one example. Precedence: info string > front matter >
 * configuration. Every key is validated, unknown ones with "did you mean".
 */
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan, type ExtractOptions } from '../../src/plan/extract.ts';
import type { ExamplePlan } from '../../src/plan/types.ts';

const root = '/repo';
const fence = '```';
const plan = (text: string, options: Partial<ExtractOptions> = {}) => extractPlan(noteFromText('/repo/notes/x.md', text, { root }), { root, ...options });
const examples = (text: string, options: Partial<ExtractOptions> = {}) => plan(text, options).items.filter((i): i is ExamplePlan => i.kind === 'example');
const problems = (text: string) => plan(text).diagnostics.map(formatDiagnostic);
const note = (frontMatter: string, body: string) => `---\n${frontMatter}\n---\n\n# Note\n\n${body}`;
const py = (info = '') => `${fence}python${info ? ` ${info}` : ''}\nprint(1)\n${fence}\n`;

describe('kb: front matter applies to every example', () => {
  it('requires, skip, timeout', () => {
    const [a, b] = examples(note('kb:\n  requires: [python>=3.11, numpy]\n  skip: needs a GPU\n  timeout: 30', `${py()}\n${py('timeout=2 skip="own reason" requires=yaml')}`));
    expect(a!.options).toMatchObject({ requires: ['python>=3.11', 'numpy'], skip: 'needs a GPU', timeoutMs: 30_000 });
    // The info string wins where it speaks; the note's requires add to the example's.
    expect(b!.options).toMatchObject({ requires: ['python>=3.11', 'numpy', 'yaml'], skip: 'own reason', timeoutMs: 2000 });
  });

  it('`requires` as a comma-separated string, `skip: true`', () => {
    const [a] = examples(note('kb: { requires: "python>=3.9, attrs", skip: true }', py()));
    expect(a!.options).toMatchObject({ requires: ['python>=3.9', 'attrs'], skip: true });
  });

  it('match options for every example (`options:`) or for one runner', () => {
    const text = note('kb:\n  options: { normalize-whitespace: true }\n  python: { ellipsis: true }', `${py()}\n${fence}js\nconsole.log(1)\n${fence}\n`);
    const [p, j] = examples(text);
    expect(p!.options.modes.sort()).toEqual(['ellipsis', 'normalize-whitespace']);
    expect(j!.options.modes).toEqual(['normalize-whitespace']);
  });

  it('hashseed under kb: or at the top level (the old spelling)', () => {
    expect(plan(note('kb: { hashseed: 7 }', py())).hashSeed).toBe('7');
    expect(plan(note('hashseed: random', py())).hashSeed).toBe('random');
    expect(problems(note('hashseed: 1\nkb: { hashseed: 2 }', py()))).toEqual(['notes/x.md:3:7: `hashseed` is given twice (top level and under `kb:`); keep one [front-matter-value]']);
  });

  it('other front matter keys (title, toc, tags) are the renderer\'s and stay unread', () => {
    expect(problems(note('title: Hello\ntoc: { maxDepth: 3 }\ntags: [a]', py()))).toEqual([]);
  });
});

describe('kb: front matter errors are positioned, with did you mean', () => {
  it.each([
    ['kb:\n  timout: 30', 'notes/x.md:3:3: unknown front matter key `kb.timout` (did you mean `timeout`?); known keys here: requires, skip, timeout, run, options, hashseed, network, memory, processes, filesize, disk, python, pycon, js, ts, sh, console [front-matter-unknown-key]'],
    ['kb:\n  python: { elipsis: true }', 'notes/x.md:3:13: unknown front matter key `kb.python.elipsis` (did you mean `ellipsis`?); known keys here: ellipsis, normalize-whitespace [front-matter-unknown-key]'],
    ['kb:\n  timeout: soon', 'notes/x.md:3:12: `kb.timeout` is a positive number of seconds, e.g. `timeout: 30` [front-matter-value]'],
    ['kb:\n  run: some', 'notes/x.md:3:8: `kb.run` is `all` (every fence in a language that runs) or `marked` (only fences marked `test`) [front-matter-value]'],
    ['kb:\n  requires: [pyhton>=3]', expect.stringMatching(/^notes\/x\.md:3:13: `kb\.requires`: .*\[front-matter-value\]$/)],
    ['kb:\n  skip: 3', 'notes/x.md:3:9: `kb.skip` is `true` or the reason, e.g. `skip: needs a GPU` [front-matter-value]'],
    ['kb: 3', 'notes/x.md:2:5: `kb:` in front matter is a map of settings, e.g. `kb: { timeout: 30 }` [front-matter-value]'],
    ['kb: [1', expect.stringMatching(/^notes\/x\.md:1:1: front matter is not valid YAML: .*\[front-matter-yaml\]$/)],
  ])('%s', (frontMatter, expected) => {
    expect(problems(note(frontMatter, py()))).toEqual([expected]);
  });
});

describe('marked blocks only', () => {
  const body = `${py('test')}\n${py()}\n${fence}sh\necho hi\n${fence}\n`;

  it('front matter `run: marked`: only fences marked `test` run; the rest are listed as not run', () => {
    const [marked, plain, shell] = examples(note('kb: { run: marked }', body));
    expect(marked!.runner).toBe('python');
    expect(plain!.runner).toBeNull();
    expect(plain!.notRun).toMatch(/only blocks marked `test` run in this note \(`kb: \{ run: marked \}` in its front matter\)/);
    expect(shell!.runner).toBeNull();
  });

  it('the configuration\'s run: "marked" does the same; the note can turn it back to all', () => {
    const fromConfig = examples(`# Note\n\n${body}`, { run: 'marked' });
    expect(fromConfig.map((e) => e.runner)).toEqual(['python', null, null]);
    expect(fromConfig[1]!.notRun).toMatch(/the configuration's `run: "marked"`/);
    expect(examples(note('kb: { run: all }', body), { run: 'marked' }).map((e) => e.runner)).toEqual(['python', 'python', 'sh']);
  });

  it('`test` is a flag', () => {
    expect(problems(`${fence}python test=yes\npass\n${fence}\n`)).toEqual([expect.stringMatching(/option `test` is a flag.*\[invalid-option-value\]$/)]);
  });
});

describe('sandbox settings under kb:', () => {
  it('kb.network and kb.memory join the top-level keys, and win over them', () => {
    expect(plan(note('memory: 1G\nkb: { network: true, memory: 2G }', py())).sandbox).toEqual({ network: true, limits: { memory: 2 * 1024 ** 3 } });
    expect(problems(note('kb: { memory: lots }', py()))).toEqual(['notes/x.md:2:15: `kb.memory` needs a size such as `512M` or `2G` [front-matter-value]']);
  });
});
