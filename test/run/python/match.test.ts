/** `match=` on a Python example is a Python regular expression: compiled by the worker and searched with `re.search`. */
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/run/evaluate.ts';
import type { RunResult } from '../../../src/run/result.ts';
import { PythonPool } from '../../../src/run/runners/python/pool.ts';
import { job } from './fixtures/helpers.ts';

const pool = new PythonPool();
afterAll(() => pool.close());

const raise = 'raise ValueError("got 3 items (max 2)")';

describe('match= is searched by Python', () => {
  it.each([
    ['Python-only syntax: a named group', String.raw`(?P<count>\d+) items`, true],
    ['an inline flag at the start', '(?i)GOT', true],
    ['backslash escapes', String.raw`\(max \d\)`, true],
    ['\\Z anchors at the end (Python only)', String.raw`2\)\Z`, true],
    ['search, not a whole match', 'items', true],
    ['no match', '^items', false],
  ])('%s', async (_name, pattern, matches) => {
    const result = await pool.run({ ...job(raise), match: pattern });
    expect(result.exception).toMatchObject({ type: 'ValueError', messageMatches: matches });
    const verdict = evaluate(result as RunResult, { raises: 'ValueError', match: pattern, modes: [], line: 7 });
    expect(verdict.status).toBe(matches ? 'passed' : 'failed');
  });

  it('an invalid pattern fails the example at its line with the rule id, never as an internal error', async () => {
    const result = await pool.run({ ...job(raise), match: '(unclosed' });
    expect(result.exception?.matchError).toMatch(/missing \)/);
    const verdict = evaluate(result as RunResult, { raises: 'ValueError', match: '(unclosed', modes: [], line: 7 });
    expect(verdict).toMatchObject({ status: 'failed', line: 7 });
    expect(verdict.message).toMatch(/^`match=` is not a valid regular expression: missing \).*\[invalid-regex\]$/);
  });
});
