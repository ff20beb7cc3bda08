/** `<!-- include PATH [lines=A-B] [region=NAME] -->`: read and validate the annotation (the file itself is read when the plan runs). */
import path from 'node:path';
import type { Html } from 'mdast';
import { report } from '../diagnostics/index.ts';
import type { Note } from '../markdown/parse.ts';
import type { Annotation } from './annotations.ts';
import type { IncludePlan } from './types.ts';

export function parseInclude(note: Note, node: Html, a: Annotation, root: string): IncludePlan | undefined {
  const file = note.file;
  const target = a.argument!;
  const at = node.position?.start;
  if (path.isAbsolute(target) || /^[a-z]+:/i.test(target)) {
    report(file, `include path \`${target}\` must be relative to the note, inside the repository`, at, 'include-outside-repository');
    return undefined;
  }
  const resolvedAbs = path.resolve(path.dirname(note.path), target);
  const rel = path.relative(root, resolvedAbs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    report(file, `include path \`${target}\` leaves the repository; include only files inside it`, at, 'include-outside-repository');
    return undefined;
  }
  const include: IncludePlan = { target, resolved: rel.split(path.sep).join('/'), line: node.position!.start.line, column: node.position!.start.column };
  for (const o of a.options) {
    if (o.key === 'lines' && typeof o.value === 'string') {
      const m = /^(\d+)(?:-(\d+))?$/.exec(o.value);
      const from = m ? Number(m[1]) : 0;
      const to = m ? Number(m[2] ?? m[1]) : 0;
      if (!m || from < 1 || to < from) {
        report(file, '`lines=` needs a range like `lines=10-20` (1-based, start ≤ end)', at, 'invalid-option-value');
        return undefined;
      }
      include.lines = [from, to];
    } else if (o.key === 'region' && typeof o.value === 'string') {
      include.region = o.value;
    } else {
      report(file, `unknown option \`${o.key}\` on \`include\`; known options: \`lines=A-B\`, \`region=NAME\``, { line: node.position!.start.line, column: node.position!.start.column + o.offset }, 'unknown-option');
      return undefined;
    }
  }
  if (include.lines && include.region) {
    report(file, '`include` takes `lines=` or `region=`, not both', at, 'conflicting-options');
    return undefined;
  }
  return include;
}
