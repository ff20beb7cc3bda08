/** Which fence languages run, and which are plain text that is never a test. */
import type { RunnerName } from './types.ts';

const RUNNER_ALIASES: Record<string, RunnerName> = {
  python: 'python',
  py: 'python',
  python3: 'python',
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
const NOT_EXECUTABLE = new Set([
  '', 'text', 'txt', 'plain', 'plaintext', 'output', 'json', 'jsonc', 'json5', 'diff', 'patch', 'md', 'markdown',
  'yaml', 'yml', 'toml', 'ini', 'cfg', 'conf', 'csv', 'tsv', 'xml', 'html', 'css', 'svg', 'mermaid', 'none', 'log',
  'pytb', 'traceback', 'dot', 'graphql', 'http', 'env', 'properties', 'ascii', 'tree', 'math', 'latex', 'tex',
]);

export function runnerFor(lang: string): RunnerName | null | 'not-executable' {
  const key = lang.toLowerCase();
  if (NOT_EXECUTABLE.has(key)) return 'not-executable';
  return RUNNER_ALIASES[key] ?? null;
}

export const RUNNER_LANGUAGES = Object.keys(RUNNER_ALIASES);
