/**
 * The fixture knowledge base holds good and broken links of every kind.
 * expected.txt is the table of expectations: exactly these problems, each at
 * its line:column, with its rule id and suggestion; every other link in the
 * fixture is good and must not be reported.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { readNote } from '../../src/markdown/parse.ts';
import { buildLinkIndex, checkLinks } from '../../src/links/index.ts';
import { expectedLines, fixtureRoot, parseProblem } from './helpers.ts';

function runApi(fast: boolean): string[] {
  const index = buildLinkIndex({ root: fixtureRoot, fast });
  const lines: string[] = [];
  for (const rel of index.notes) {
    // As a note's own test does: parse the note once, check it against the shared index.
    const note = readNote(rel, { root: fixtureRoot });
    lines.push(...checkLinks(note, index).map(formatDiagnostic));
  }
  return lines.sort(byPosition);
}

function byPosition(a: string, b: string): number {
  const pa = parseProblem(a);
  const pb = parseProblem(b);
  return pa.file.localeCompare(pb.file) || pa.line - pb.line || pa.column - pb.column || a.localeCompare(b);
}

describe('link checking on the fixture knowledge base', () => {
  const expected = expectedLines();

  it('the index lists the fixture notes', () => {
    const index = buildLinkIndex({ root: fixtureRoot });
    expect(index.notes).toEqual(['notes/code.md', 'notes/index.md', 'notes/python/asyncio.md', 'notes/python/my file.md', 'notes/python/how-to/README.md', 'notes/refs.md'].sort());
  });

  it('reports exactly the broken links, each at its line:column (targets read by the fast scanner)', () => {
    expect(runApi(true)).toEqual(expected);
  });

  it('gives the same verdicts when every target is parsed whole', () => {
    expect(runApi(false)).toEqual(expected);
  });

  it('positions each problem on the link itself', () => {
    for (const line of expected) {
      const problem = parseProblem(line);
      const source = readFileSync(path.join(fixtureRoot, problem.file), 'utf8').split('\n')[problem.line - 1] ?? '';
      const at = source.slice(problem.column - 1);
      // A link, an image, a reference, a definition or a raw-HTML attribute starts there.
      expect(at, line).toMatch(/^(?:!?\[|href=|src=)/);
    }
  });

  it('covers every rule', () => {
    const rules = new Set(expected.map((line) => parseProblem(line).ruleId));
    for (const rule of [
      'missing-file',
      'file-case-mismatch',
      'missing-heading',
      'heading-case-mismatch',
      'line-out-of-range',
      'line-range-reversed',
      'undefined-reference',
      'unused-definition',
      'duplicate-definition',
      'link-leaves-repository',
    ]) {
      expect(rules, rule).toContain(rule);
    }
  });

  it('suggests a close name when there is one', () => {
    const suggestions = Object.fromEntries(
      expected.filter((line) => line.includes('did you mean')).map((line) => [line.replace(/:.*/s, '') + ':' + parseProblem(line).line, /did you mean `([^`]+)`/.exec(line)![1]]),
    );
    expect(suggestions).toMatchObject({
      'notes/index.md:12': '#same-note',
      'notes/index.md:22': '#tasks',
      'notes/index.md:25': '#example-1',
      'notes/index.md:29': '#café',
      'notes/index.md:30': 'python/asyncio.md',
      'notes/index.md:42': 'python/how-to/async-await.py',
      'notes/index.md:51': '#overview',
      'notes/index.md:52': 'python/how-to',
      'notes/index.md:56': 'python/images/diagram.png',
      'notes/refs.md:5': '[asyncio-doc]',
    });
  });

  it('names the heading it suggests, with its line', () => {
    expect(expected).toContain(
      'notes/index.md:22:3: No heading `#taks` in notes/python/asyncio.md; did you mean `#tasks` (line 12, `#### Tasks`)? [missing-heading]',
    );
  });

  it('finds nothing in code, comments or fences', () => {
    const inCode = expected.filter((line) => line.startsWith('notes/code.md'));
    expect(inCode).toEqual(['notes/code.md:18:38: No heading `#hidden` in notes/code.md (this note) [missing-heading]']);
  });
});
