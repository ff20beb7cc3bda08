/**
 * A failure located in a note. Its stack is a single frame at the note's line,
 * so vitest prints the Markdown around that line as the code frame (the note's
 * module maps line for line, see codegen).
 */
export class NoteFailure extends Error {
  constructor(message: string, file: string, line: number, column = 1) {
    super(message);
    this.name = 'NoteFailure';
    this.stack = `${this.name}: ${message}\n    at ${file}:${line}:${column}`;
  }
}
