/**
 * Checks of a note's structure that need no interpreter (table of contents,
 * the notes index, links). They run at transform time on the note's one parse;
 * each becomes a case of the note's test file.
 */
import path from 'node:path';
import type { KbConfig } from '../config/schema.ts';
import { formatDiagnostic, toPlain } from '../diagnostics/index.ts';
import type { VFileMessage } from 'vfile-message';
import { checkLinks, type LinkIndex } from '../links/index.ts';
import type { Note } from '../markdown/parse.ts';
import { readNote } from '../markdown/parse.ts';
import { listMarkdown } from '../toc/files.ts';
import { planIndex } from '../toc/kb-index.ts';
import { checkToc } from '../toc/toc.ts';
import type { StructuralCase } from './codegen.ts';

export interface StructuralOptions {
  root: string;
  links: LinkIndex;
  /** The configured notes index (absolute path; `indexFile`), or undefined when the project keeps none. */
  index?: string | undefined;
}

/** The notes index the configuration names, as an absolute path; undefined when it names none ("index" is opt-in). */
export function indexFile(config: Pick<KbConfig, 'root' | 'index'>): string | undefined {
  return config.index === false ? undefined : path.resolve(config.root, config.index.file);
}

export function structuralCases(note: Note, options: StructuralOptions): StructuralCase[] {
  const cases: StructuralCase[] = [];
  const toc = checkToc(note);
  if (toc.status !== 'absent') {
    const first = toc.diagnostics[0];
    cases.push({
      name: 'table of contents is current',
      line: first?.line ?? 1,
      column: 1,
      failure:
        toc.status === 'current'
          ? undefined
          : [
              toc.status === 'stale' ? 'the table of contents is stale; run `kb toc` to regenerate it' : 'the table of contents cannot be checked',
              ...toc.diagnostics.map((d) => formatDiagnostic(d)),
              toc.diff ?? '',
            ].join('\n').trimEnd(),
      failureLine: first?.line ?? undefined,
      ...positioned(note, toc.status === 'current' ? [] : toc.diagnostics),
    });
  }
  if (options.index !== undefined && path.resolve(note.path) === options.index) cases.push(indexCase(note, options));
  options.links.register(note);
  const problems = checkLinks(note, options.links).filter((m) => m.fatal !== false);
  cases.push({
    name: 'links',
    line: 1,
    column: 1,
    failure: problems.length ? `${problems.length} broken link(s):\n${problems.map((m) => formatDiagnostic(m)).join('\n')}` : undefined,
    failureLine: problems[0]?.line ?? undefined,
    ...positioned(note, problems),
  });
  return cases;
}

/**
 * The index note against the notes of its folder, as `kb toc --check` plans it (src/toc/cli.ts):
 * the note being compiled is the index, its folder's other Markdown files are the entries.
 */
function indexCase(note: Note, options: StructuralOptions): StructuralCase {
  const notesDir = path.dirname(note.path);
  const notes = listMarkdown(notesDir)
    .filter((file) => path.resolve(file) !== path.resolve(note.path))
    .map((file) => readNote(file, { root: options.root }));
  const index = planIndex(note, note.path, note.relPath, notes, notesDir);
  const first = index.diagnostics[0];
  const headline = index.status === 'error' ? 'the notes index cannot be checked' : 'the notes index is stale; run `kb toc` to regenerate it';
  return {
    name: 'notes index is current',
    line: first?.line ?? 1,
    column: 1,
    failure: index.status === 'current' ? undefined : [headline, ...index.diagnostics.map((d) => formatDiagnostic(d)), index.diff ?? ''].join('\n').trimEnd(),
    failureLine: first?.line ?? undefined,
    ...positioned(note, index.status === 'current' ? [] : index.diagnostics),
  };
}

/** The report lists each problem of a failed case on its own line, at its own place in the note. */
function positioned(note: Note, messages: VFileMessage[]): { problems?: StructuralCase['problems'] } {
  if (messages.length === 0) return {};
  return { problems: messages.map((m) => ({ ...toPlain(m, note.relPath), file: note.relPath })) };
}
