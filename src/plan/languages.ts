/**
 * The one table of fence languages:
 *   runs      a runner executes it (with aliases)
 *   data      output, data or prose formats: never a test, not listed
 *   not-run   a known programming language this tool does not run: listed as "not run", never as passed
 * A word that is none of these is not run either (and listed so), unless it is
 * a near-miss of a runner's language and itself no known language: then it is
 * an `unknown-language` error with "did you mean" (`pyhton`), because a typo
 * must not turn an example into one that never runs.
 *
 * Known languages come from GitHub Linguist (./known-languages.ts, generated)
 * plus highlighter names Linguist lacks.
 */
import { distance } from 'fastest-levenshtein';
import { LINGUIST_LANGUAGES } from './known-languages.ts';
import type { RunnerName } from './types.ts';

const RUNNER_ALIASES: Record<string, RunnerName> = {
  python: 'python',
  py: 'python',
  python3: 'python',
  py3: 'python',
  pycon: 'pycon',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  ts: 'ts',
  typescript: 'ts',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  console: 'console',
  'shell-session': 'console',
};

/** Languages that document data or output; a fence in one of them is never a test. */
const DATA_LANGUAGES = new Set([
  '', 'text', 'txt', 'plain', 'plaintext', 'output', 'json', 'jsonc', 'json5', 'diff', 'patch', 'md', 'markdown',
  'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'csv', 'tsv', 'xml', 'html', 'css', 'svg', 'mermaid', 'none', 'log',
  'pytb', 'traceback', 'dot', 'graphql', 'http', 'env', 'properties', 'ascii', 'tree', 'math', 'latex', 'tex',
]);

/**
 * Known languages that do not run here, beyond Linguist's list: highlighter
 * names (highlight.js, Pygments) and Python dialects this tool deliberately
 * does not run (Python 2 code, IPython magics).
 */
const HIGHLIGHTER_EXTRAS = new Set([
  'python2', 'py2', 'ipython', 'ipython2', 'ipython3', 'ipy', 'jupyter', 'pycon3', 'pypy', 'cython', 'sage',
  'vimdoc', 'help', 'sh-session', 'shellsession', 'bash-session', 'zsh-session', 'ps1con', 'doscon', 'bat', 'cmd',
  'nohighlight', 'no-highlight', 'code', 'terminal', 'pwsh',
]);

export type LanguageKind =
  | { kind: 'runs'; runner: RunnerName }
  | { kind: 'data' }
  | { kind: 'not-run'; known: boolean };

/** MyST directives that hold code: listed as not run. Other directives (`{toctree}`, `{include}`, `{note}`) are not code. */
const MYST_CODE_DIRECTIVES = new Set(['{doctest}', '{testcode}', '{testsetup}', '{code}', '{code-block}', '{code-cell}', '{sourcecode}', '{literalinclude}', '{jupyter-execute}', '{ipython}', '{exec}']);

export function classifyLanguage(lang: string): LanguageKind {
  const key = lang.toLowerCase();
  if (key.startsWith('{')) return MYST_CODE_DIRECTIVES.has(key) ? { kind: 'not-run', known: true } : { kind: 'data' };
  if (DATA_LANGUAGES.has(key)) return { kind: 'data' };
  const runner = RUNNER_ALIASES[key];
  if (runner) return { kind: 'runs', runner };
  return { kind: 'not-run', known: isKnownLanguage(key) };
}

export function isKnownLanguage(lang: string): boolean {
  const key = lang.toLowerCase();
  return key in RUNNER_ALIASES || DATA_LANGUAGES.has(key) || HIGHLIGHTER_EXTRAS.has(key) || LINGUIST_LANGUAGES.has(key);
}

/** The runner, `null` for a language that is not run (listed as such), `'not-executable'` for data. */
export function runnerFor(lang: string): RunnerName | null | 'not-executable' {
  const kind = classifyLanguage(lang);
  return kind.kind === 'data' ? 'not-executable' : kind.kind === 'runs' ? kind.runner : null;
}

/** The runner language `lang` is a typo of, unless `lang` is itself a known language. */
export function misspeltRunnerLanguage(lang: string): string | undefined {
  const key = lang.toLowerCase();
  if (isKnownLanguage(key)) return undefined;
  return RUNNER_LANGUAGES.find((known) => distance(known, key) <= (known.length > 3 ? 2 : 1));
}

export const RUNNER_LANGUAGES = Object.keys(RUNNER_ALIASES);
