/** `output` blocks: the expected output of the example right before them. */
import type { Code, RootContent } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { isTerminated } from './fences.ts';
import { checkRequires, fenceInfoOf, reportFenceOptionErrors } from './fence-options.ts';
import { runnerFor } from './languages.ts';
import { OUTPUT_OPTIONS, matchModes, validateOptions } from './options.ts';
import type { ExpectedOutput } from './types.ts';
import { noteBody, place, type Walk } from './walk-state.ts';

export function isOutputFence(walk: Walk, node: RootContent): node is Code {
  return node.type === 'code' && fenceInfoOf(walk, node).lang === 'output';
}

/** An `output` block must follow an example (or another `output` block of one). */
export function checkOutputPlacement(walk: Walk, node: Code, siblings: RootContent[], index: number): void {
  let previous: RootContent | undefined;
  for (let j = index - 1; j >= 0; j--) {
    if (isOutputFence(walk, siblings[j]!)) continue;
    previous = siblings[j];
    break;
  }
  if (!previous || previous.type !== 'code' || runnerFor(fenceInfoOf(walk, previous).lang) === 'not-executable') {
    report(walk.note.file, 'this `output` block follows no example; put it right after the fenced example whose output it shows', place(node), 'orphan-output');
  }
}

/** The `output` blocks right after the example at `index`, each an alternative chosen by its `requires=`. */
export function collectOutputs(walk: Walk, siblings: RootContent[], index: number): ExpectedOutput[] {
  const outputs: ExpectedOutput[] = [];
  for (let j = index + 1; j < siblings.length; j++) {
    const s = siblings[j]!;
    if (!isOutputFence(walk, s)) break;
    if (!isTerminated(walk.source, s)) break;
    const read = reportFenceOptionErrors(walk, s, fenceInfoOf(walk, s), OUTPUT_OPTIONS, 'an `output` block');
    if (!read) continue;
    const { values, errors } = validateOptions(read.options, OUTPUT_OPTIONS, null, 'an `output` block');
    for (const e of errors) report(walk.note.file, e.message, place(s, e.offset), e.ruleId);
    if (!checkRequires(walk, s, read.options, values)) continue;
    const requires = (values['requires'] as string[] | undefined) ?? [];
    // The first alternative whose conditions hold is the one compared: one without conditions, or with the same ones, hides this one.
    const shadow = outputs.find((o) => o.requires.length === 0 || sameConditions(o.requires, requires));
    if (shadow) {
      const why = shadow.requires.length === 0 ? 'has no `requires=`, so it always applies' : `has the same \`requires=${requires.join(',')}\``;
      report(
        walk.note.file,
        `second \`output\` block for one example: the one at line ${shadow.line} ${why}, so this one would never be compared; merge them, or give each its own \`requires=\` condition`,
        place(s),
        'duplicate-output',
      );
      continue;
    }
    const { bodyStart, bodyEnd } = noteBody(walk, s);
    outputs.push({
      text: s.value,
      line: s.position!.start.line,
      column: s.position!.start.column,
      bodyStart,
      bodyEnd,
      modes: matchModes(values),
      requires,
    });
  }
  return outputs;
}

function sameConditions(a: readonly string[], b: readonly string[]): boolean {
  const norm = (list: readonly string[]) => [...list].map((c) => c.replace(/\s+/g, '')).sort().join(',');
  return norm(a) === norm(b);
}
