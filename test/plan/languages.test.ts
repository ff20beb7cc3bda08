import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { knownLanguagesModule, target } from '../../scripts/known-languages.ts';
import { classifyLanguage, misspeltRunnerLanguage, runnerFor } from '../../src/plan/languages.ts';

describe('languages table', () => {
  it('src/plan/known-languages.ts is current (regenerate with `npm run languages`)', async () => {
    expect(readFileSync(target, 'utf8')).toBe(await knownLanguagesModule());
  });

  it.each([
    ['python', 'runs'], ['Python', 'runs'], ['py', 'runs'], ['pycon', 'runs'], ['ts', 'runs'], ['console', 'runs'],
    ['json', 'data'], ['text', 'data'], ['', 'data'], ['output', 'data'],
    ['rust', 'not-run'], ['jsx', 'not-run'], ['tsx', 'not-run'], ['zsh', 'not-run'], ['fish', 'not-run'], ['bat', 'not-run'],
    ['jq', 'not-run'], ['python2', 'not-run'], ['ipython', 'not-run'], ['sql', 'not-run'], ['SQL', 'not-run'], ['powershell', 'not-run'],
  ])('%s %s', (lang, kind) => {
    expect(classifyLanguage(lang).kind).toBe(kind);
  });

  it('"did you mean" only for a near-miss of a runner that is no known language', () => {
    expect(misspeltRunnerLanguage('pyhton')).toBe('python');
    expect(misspeltRunnerLanguage('javscript')).toBe('javascript');
    for (const known of ['jsx', 'tsx', 'zsh', 'fish', 'bat', 'jq', 'python2', 'ipython', 'rust', 'somethingnew']) {
      expect(misspeltRunnerLanguage(known), known).toBeUndefined();
    }
  });

  it('unknown words are not run (listed as such), never an error on their own', () => {
    expect(runnerFor('somethingnew')).toBeNull();
    expect(classifyLanguage('somethingnew')).toEqual({ kind: 'not-run', known: false });
  });
});
