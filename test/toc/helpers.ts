/** Shared helpers of the TOC tests: fixture cases and their CRLF / BOM variants. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Note, noteFromText } from '../../src/markdown/parse.ts';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const REPO = path.resolve(FIXTURES, '../../..');

export interface Case {
  name: string;
  input: string;
  /** Undefined when the input is already current (or has no TOC). */
  expected: string | undefined;
  /** The warnings `file:line:column: reason [rule]` (file notes/x.md), one a line; empty when none. */
  warnings: string[];
}

export function cases(): Case[] {
  const dir = path.join(FIXTURES, 'cases');
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const expectedPath = path.join(dir, name, 'expected.md');
      const warningsPath = path.join(dir, name, 'warnings.txt');
      return {
        name,
        input: readFileSync(path.join(dir, name, 'input.md'), 'utf8'),
        expected: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined,
        warnings: existsSync(warningsPath) ? readFileSync(warningsPath, 'utf8').split('\n').filter((line) => line !== '') : [],
      };
    });
}

export const VARIANTS: Array<{ name: string; apply: (text: string) => string }> = [
  { name: 'LF', apply: (text) => text },
  { name: 'CRLF', apply: (text) => text.replace(/\n/g, '\r\n') },
  { name: 'BOM', apply: (text) => `\uFEFF${text}` },
  { name: 'CRLF+BOM', apply: (text) => `\uFEFF${text.replace(/\n/g, '\r\n')}` },
];

export function note(text: string, relPath = 'notes/x.md'): Note {
  return noteFromText(path.join(REPO, relPath), text, { root: REPO });
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kb-toc-'));
}
