import { describe, expect, it } from 'vitest';
import { formatDiagnostic, report } from '../../src/diagnostics/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';

describe('diagnostics', () => {
  it('formats as file:line:column: reason [rule-id]', () => {
    const note = noteFromText(`${process.cwd()}/notes/x.md`, '# T\n\ntext\n');
    const message = report(note.file, 'something is wrong', { line: 3, column: 1 }, 'orphan-output');
    expect(formatDiagnostic(message)).toBe('notes/x.md:3:1: something is wrong [orphan-output]');
  });
});
