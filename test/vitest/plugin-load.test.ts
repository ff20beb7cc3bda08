/** The plugin turns a note into a test module only when it is imported as itself. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestImport, kbNotes } from '../../src/vitest/plugin.ts';

const root = mkdtempSync(path.join(tmpdir(), 'kb-plugin-load-'));
mkdirSync(path.join(root, 'notes'));
const note = path.join(root, 'notes', 'a.md');
writeFileSync(note, '# A\n\n```js\nconsole.log(1)\n```\n');

const load = (id: string) => {
  const hook = kbNotes({ root }).load as unknown as (this: unknown, id: string) => Promise<{ code: string } | null>;
  return hook.call({ addWatchFile() {} }, id);
};

describe('kbNotes load', () => {
  it.each([
    ['', true],
    ['t=1712', true],
    ['v=abc', true],
    ['import', true],
    ['import&t=5', true],
    ['raw', false],
    ['url', false],
    ['inline', false],
    ['raw&t=5', false],
  ])('query %j is the note itself: %s', async (query, itself) => {
    expect(isTestImport(query || undefined)).toBe(itself);
    const result = await load(query ? `${note}?${query}` : note);
    if (itself) expect(result?.code).toContain('console.log(1)');
    else expect(result).toBeNull();
  });
});

describe('kb() options', async () => {
  const { default: kb } = await import('../../src/vitest/index.ts');
  it.each([
    [{ notse: ['docs/**/*.md'] }, /unknown key "notse"/],
    [{ project: 'two words' }, /"project" must be a project name/],
    [{ strict: 'yes' }, /strict/],
    ['docs', /kb\(\) takes an options object/],
  ])('%j is refused where it is written, without a stack trace', (options, message) => {
    let error: Error | undefined;
    try {
      kb(options as never);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.stack).not.toMatch(/\n\s+at /);
  });
  it('accepts the settings of the configuration and a project name', () => {
    expect(kb({ notes: ['docs/**/*.md'], project: 'docs', strict: true }).name).toBe('kb-doctest');
  });
});

describe('languages the configuration turns off', async () => {
  const { defaultConfig } = await import('../../src/config/schema.ts');
  const { markLanguagesOff } = await import('../../src/plan/configured.ts');
  const { noteFromText } = await import('../../src/markdown/parse.ts');
  const { extractPlan } = await import('../../src/plan/extract.ts');
  const text = '# R\n\n```sh\nnpm install x\n```\n\n```python\nprint(1)\n```\n';
  const notRun = (file: string, config = defaultConfig(root)) => {
    const plan = extractPlan(noteFromText(path.join(root, file), text, { root }), { root });
    markLanguagesOff(plan, config, path.join(root, file));
    return plan.items.flatMap((item) => (item.kind === 'example' ? [[item.lang, item.notRun ?? null]] : []));
  };
  it('sh fences of a README are not run by default, with the setting named; python still runs', () => {
    expect(notRun('README.md')).toEqual([['sh', expect.stringContaining('"overrides"')], ['python', null]]);
  });
  it('in any other note they run; an override turns them back on in the README', () => {
    expect(notRun('notes/a.md')).toEqual([['sh', null], ['python', null]]);
    const config = defaultConfig(root);
    config.overrides = [...config.overrides, { files: ['README.md'], languages: { sh: true } }];
    expect(notRun('README.md', config)).toEqual([['sh', null], ['python', null]]);
  });
});
