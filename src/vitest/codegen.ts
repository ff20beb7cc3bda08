/**
 * plan → the JavaScript module vitest runs for a note.
 *
 * Generated line N is the note's line N: every test is registered by a call
 * written on its fence's (or annotation's) line, and the source map is the
 * identity. So vitest's `includeTaskLocation`, `-t`/`file:line` filters and
 * editor extensions point into the Markdown, and a stack frame `note.md:L:C`
 * that the runtime puts on an error shows line L of the note in the code frame.
 */
import type { PlainDiagnostic } from '../diagnostics/index.ts';
import type { NotePlan } from '../plan/types.ts';

export interface CompiledNote {
  plan: NotePlan;
  /** Absolute path of the note. */
  file: string;
  /** Repository root. */
  root: string;
  /** Verdicts computed at transform time (table of contents, links), keyed by case name. */
  structural: StructuralCase[];
}

export interface StructuralCase {
  name: string;
  line: number;
  column: number;
  /** Empty when the case passes. */
  failure?: string;
  /** Lines (in the note) the failure refers to, for the stack frame. */
  failureLine?: number;
  skip?: string;
  /** Each positioned problem of a failure (file relative to the root), for the report. */
  problems?: PlainDiagnostic[];
}

export interface ModuleOptions {
  /**
   * A file holding the compiled note as JSON (the persistent cache's, see plugin.ts): the module
   * then reads it when it runs instead of carrying it, so vite parses, source-maps and keeps in
   * memory a module of a few bytes per line whatever the size of the plan.
   */
  planFile?: string;
}

export function generateModule(compiled: CompiledNote, runtimeModule: string, lineCount: number, options: ModuleOptions = {}): { code: string; map: object } {
  const lines: string[] = new Array(Math.max(lineCount, 1)).fill('');
  const registrations = registrationLines(compiled);
  lines[0] = options.planFile
    ? `import { defineNoteTests as __defineNoteTests, readCompiledNote as __readCompiledNote } from ${JSON.stringify(runtimeModule)}; ` +
      `const __kb = __defineNoteTests(__readCompiledNote(${JSON.stringify(options.planFile)}));`
    : `import { defineNoteTests as __defineNoteTests } from ${JSON.stringify(runtimeModule)}; ` +
      // One string literal, not an object literal: vite's SSR transform parses this module, and
      // one token is far cheaper to parse than the thousands of nodes of the plan as JS.
      `const __kb = __defineNoteTests(JSON.parse(${JSON.stringify(JSON.stringify(compiled))}));`;
  registrations.forEach((line, index) => {
    const at = Math.min(Math.max(line, 1), lines.length) - 1;
    lines[at] += ` __kb.test(${index})(__kb.name(${index}), __kb.fn(${index}), __kb.timeout(${index}));`;
  });
  return { code: lines.join('\n'), map: identityMap(compiled.file, lines.length) };
}

/** The line each registered case is written on; the runtime registers them in this same order. */
export function registrationLines(compiled: CompiledNote): number[] {
  return [...compiled.plan.items.map((item) => item.line), ...compiled.structural.map((s) => s.line)];
}

/**
 * An identity source map: generated line i, column 0 ↔ original line i, column 0.
 * Each segment is the VLQ of [generated column, source, original line delta, original column]:
 * `AAAA` for the first line and `AACA` (original line + 1) for every next one.
 */
export function identityMap(file: string, lineCount: number): object {
  return {
    version: 3,
    sources: [file],
    names: [],
    mappings: ['AAAA', ...new Array(Math.max(lineCount - 1, 0)).fill('AACA')].join(';'),
  };
}
