/** HTML comments: annotations (`setup`, `teardown`, `include`, `check`, `claim`) as block nodes or inside a paragraph. */
import type { Html, Parent } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { misspeltAnnotation, parseAnnotation, type Annotation } from './annotations.ts';
import { hiddenCheck } from './check-annotation.ts';
import { claimTextAfter, claimTextOfBlock } from './claim-text.ts';
import { addClaim } from './claims.ts';
import { parseInclude } from './include-annotation.ts';
import { place, type Walk } from './walk-state.ts';

/** The annotation in an HTML node; a malformed or misspelt one is reported, an ordinary comment is `undefined`. */
function annotationOf(walk: Walk, node: Html): Annotation | undefined {
  const parsed = parseAnnotation(node.value);
  if (parsed?.error) report(walk.note.file, parsed.error.message, place(node, parsed.error.offset), 'malformed-annotation');
  if (!parsed) {
    const typo = misspeltAnnotation(node.value);
    if (typo) {
      const how = typo.word.toLowerCase() === typo.keyword ? 'annotation keywords are lower case' : 'it is read as an ordinary comment';
      report(walk.note.file, `\`<!-- ${typo.word}\` is not an annotation (${how}); did you mean \`<!-- ${typo.keyword}\`?`, place(node, typo.offset), 'misspelled-annotation');
    }
  }
  return parsed?.annotation;
}

export function onHtml(walk: Walk, node: Html, parent: Parent, index: number): void {
  const a = annotationOf(walk, node);
  if (!a) return;
  const file = walk.note.file;
  const line = node.position!.start.line;
  const column = node.position!.start.column;
  const bodyLine = line + a.bodyLineOffset;
  switch (a.kind) {
    case 'setup':
    case 'teardown': {
      if (!a.body) {
        report(file, `\`${a.kind}\` needs code: put it on the lines after \`<!-- ${a.kind}\` and close with \`-->\``, place(node), 'annotation-missing-code');
        return;
      }
      rejectOptions(walk, node, a);
      const section = walk.headingStack.length > 0 ? walk.headingStack[walk.headingStack.length - 1]!.index : -1;
      walk.scoped.push({ kind: a.kind, code: a.body, firstLine: bodyLine, section });
      return;
    }
    case 'include': {
      if (!a.argument) {
        report(file, '`include` needs a path: `<!-- include path/to/file.py -->` (optionally `lines=10-20` or `region=NAME`)', place(node), 'annotation-missing-argument');
        return;
      }
      const include = parseInclude(walk.note, node, a, walk.root);
      if (include) walk.pendingInclude = { include, node };
      return;
    }
    case 'check': {
      const check = hiddenCheck(walk.note.file, node, a, bodyLine, true);
      if (check && a.argument) walk.pendingChecks.push({ id: a.argument, check, line, column });
      return;
    }
    case 'claim': {
      addClaim(walk, node, a, claimTextOfBlock(parent, index), bodyLine);
      return;
    }
  }
}

export function onInlineHtml(walk: Walk, node: Html, paragraph: Parent, index: number): void {
  const a = annotationOf(walk, node);
  if (!a) return;
  const file = walk.note.file;
  if (a.kind !== 'claim') {
    report(file, `a \`${a.kind}\` annotation must stand on its own lines, not inside a paragraph; put a blank line before it`, place(node), 'annotation-in-paragraph');
    return;
  }
  if (a.body) {
    report(file, 'hidden check code cannot sit inside a paragraph (its indentation would be lost); put it in a `<!-- check ID ... -->` block on its own lines', place(node), 'annotation-in-paragraph');
    return;
  }
  addClaim(walk, node, a, claimTextAfter(paragraph, index), node.position!.start.line + 1);
}

/** `setup` and `teardown` take no options. */
function rejectOptions(walk: Walk, node: Html, a: Annotation): void {
  for (const o of a.options) {
    report(walk.note.file, `unknown option \`${o.key}\` on \`${a.kind}\`; it takes none`, place(node, o.offset), 'unknown-option');
  }
}
