/** Shared by the link tests: paths of the fixture knowledge base and of the CLI. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const fixtureRoot = path.join(here, 'fixtures/kb');
export const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
export const linksScript = path.join(repoRoot, 'src/cli/bin.ts');

/** The exact problems expected in the fixture, one `file:line:column: reason [rule]` a line. */
export function expectedLines(): string[] {
  return readFileSync(path.join(here, 'expected.txt'), 'utf8').split('\n').filter((line) => line !== '');
}

export interface ExpectedProblem {
  file: string;
  line: number;
  column: number;
  reason: string;
  ruleId: string;
}

export function parseProblem(line: string): ExpectedProblem {
  const match = /^(.+?):(\d+):(\d+): (.*) \[([a-z-]+)\]$/.exec(line);
  if (!match) throw new Error(`not a problem line: ${line}`);
  return { file: match[1]!, line: Number(match[2]), column: Number(match[3]), reason: match[4]!, ruleId: match[5]! };
}
