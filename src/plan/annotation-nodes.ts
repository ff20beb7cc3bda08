/** HTML comments: annotations (`setup`, `teardown`, `include`, `check`, `claim`) as block nodes or inside a paragraph. */
import type { Html, Parent } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { misspeltAnnotation, parseAnnotation, SKIP_WORDS, type Annotation } from './annotations.ts';
import { nearMissOption } from './fence-info.ts';
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
    case 'skip':
      onSkip(walk, node, a);
      return;
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

/** `<!-- skip start [reason="..."] -->` … `<!-- skip end -->`, and `<!-- skip next -->` for one example. */
function onSkip(walk: Walk, node: Html, a: Annotation): void {
  const file = walk.note.file;
  const word = a.argument;
  if (!word || !SKIP_WORDS.includes(word)) {
    const close = word ? nearMissOption(word, SKIP_WORDS) : undefined;
    const hint = close ? `; did you mean \`${close}\`?` : '';
    report(file, `\`skip\` takes \`start\`, \`end\` or \`next\`${word ? `, not \`${word}\`` : ''}${hint} (e.g. \`<!-- skip start reason="needs a server" -->\` … \`<!-- skip end -->\`)`, place(node), 'skip-range');
    return;
  }
  let reason: string | true = true;
  for (const o of a.options) {
    if (o.key === 'reason' && o.value !== true && word !== 'end') reason = o.value;
    else report(file, `unknown option \`${o.key}\` on \`skip ${word}\`; ${word === 'end' ? 'it takes none' : 'known options: `reason="..."`'}`, place(node, o.offset), 'unknown-option');
  }
  const open = walk.skipRange;
  if (word === 'end') {
    if (!open || open.next) report(file, '`skip end` without a `<!-- skip start -->` before it; add the start or remove this line', place(node), 'skip-range');
    walk.skipRange = undefined;
    return;
  }
  if (open && !open.next) {
    report(file, `\`skip ${word}\` inside the skip range started at line ${open.line}; end that range first with \`<!-- skip end -->\``, place(node), 'skip-range');
    return;
  }
  walk.skipRange = { reason, line: node.position!.start.line, column: node.position!.start.column, next: word === 'next' };
}

/** The skip an example gets from an open range or a `skip next` (which it uses up). */
export function takeSkip(walk: Walk): string | true | undefined {
  const open = walk.skipRange;
  if (!open) return undefined;
  if (open.next) walk.skipRange = undefined;
  return open.reason;
}

/** A range still open at the end of the note. */
export function checkSkipClosed(walk: Walk): void {
  const open = walk.skipRange;
  if (open && !open.next) {
    report(walk.note.file, `this \`skip start\` is never ended, so every example after it is skipped; add \`<!-- skip end -->\` after the last example to skip`, { line: open.line, column: open.column }, 'skip-range');
  }
}
