/** The update keeps what the author wrote: only lines that no longer match change. */
import { describe, expect, it } from 'vitest';
import type { MatchMode } from '../../src/plan/types.ts';
import { outputMatches } from '../../src/run/output-match.ts';
import { updatedOutputText } from '../../src/update/output-block.ts';

describe('output blocks: authored lines that still match stay', () => {
  it.each<[string, string, string, MatchMode[], string]>([
    ['a changed last line after a bare ellipsis', 'header\n...\nfooter: old', 'header\nr0\nr1\nfooter: new', ['ellipsis'], 'header\n...\nfooter: new'],
    ['an inline wildcard on an unchanged line', 'id=... done\nstatus: failed', 'id=123 done\nstatus: ok', ['ellipsis'], 'id=... done\nstatus: ok'],
    ['an ellipsis covering nothing new keeps its place', 'start\n...\nend', 'start\na\nb\nc\nend\nextra', ['ellipsis'], 'start\n...\nend\nextra'],
    ['a leading ellipsis', '...\nlast: 1', 'noise\nmore noise\nlast: 2', ['ellipsis'], '...\nlast: 2'],
    ['ellipsis off: `...` is text', 'a\n...\nb', 'a\nx\nb', [], 'a\nx\nb'],
    ['whitespace-normalized line keeps its spacing', 'a b\nwas', 'a   b\nchanged', ['normalize-whitespace'], 'a b\nchanged'],
    ['unordered: matching lines stay where they are', 'three\none\nfour', 'one\ntwo\nthree', ['unordered'], 'three\none\ntwo'],
    ['unordered: extra actual lines go last', 'b\na', 'a\nb\nc', ['unordered'], 'b\na\nc'],
    ['unordered: missing lines go away', 'b\nz\na', 'a\nb', ['unordered'], 'b\na'],
    ['regex: a matching pattern stays, a new line is escaped', 'x = \\d+\ny = 1', 'x = 41\ny = (2)', ['regex'], 'x = \\d+\ny = \\(2\\)'],
    ['a line inserted in the middle', 'a\nc', 'a\nb\nc', [], 'a\nb\nc'],
    ['a line removed', 'a\nb\nc', 'a\nc', [], 'a\nc'],
    ['empty expected', '', 'new\nlines', [], 'new\nlines'],
    ['empty actual', 'old', '', ['ellipsis'], ''],
  ])('%s', (_name, expected, actual, modes, result) => {
    const text = updatedOutputText(expected, actual, modes);
    expect(text).toBe(result);
    expect(outputMatches(text!, actual, modes)).toBe(true);
    // Idempotent: updating what was written against the same output keeps it.
    expect(updatedOutputText(text!, actual, modes)).toBe(text);
  });
});
