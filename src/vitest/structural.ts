/**
 * Checks of a note's structure that need no interpreter (table of contents,
 * the notes index, links). They run at transform time on the note's one parse;
 * each becomes a case of the note's test file.
 */
import path from 'node:path';
import { formatDiagnostic, toPlain } from '../diagnostics/index.ts';
import type { VFileMessage } from 'vfile-message';
import { checkLinks, type LinkIndex } from '../links/index.ts';
import type { Note } from '../markdown/parse.ts';
import { checkIndex } from '../toc/kb-index.ts';
import { checkToc } from '../toc/toc.ts';
import type { StructuralCase } from './codegen.ts';

export interface StructuralOptions {
  root: string;
  links: LinkIndex;
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
  if (path.resolve(note.path) === path.resolve(options.root, 'notes', 'README.md')) {
    const index = checkIndex(options.root);
    if (index.status !== 'absent') {
      cases.push({
        name: 'notes index is current',
        line: index.diagnostics[0]?.line ?? 1,
        column: 1,
        failure: index.status === 'current' ? undefined : ['the notes index is stale; run `kb toc` to regenerate it', ...index.diagnostics.map((d) => formatDiagnostic(d)), index.diff ?? ''].join('\n').trimEnd(),
      });
    }
  }
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

/** The report lists each problem of a failed case on its own line, at its own place in the note. */
function positioned(note: Note, messages: VFileMessage[]): { problems?: StructuralCase['problems'] } {
  if (messages.length === 0) return {};
  return { problems: messages.map((m) => ({ ...toPlain(m, note.relPath), file: note.relPath })) };
}
