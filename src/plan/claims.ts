/** Claims: an annotation binding prose to evidence, and the checks and examples that back it. */
import type { Html } from 'mdast';
import { distance } from 'fastest-levenshtein';
import { report } from '../diagnostics/index.ts';
import type { Annotation } from './annotations.ts';
import { hiddenCheck } from './check-annotation.ts';
import type { ClaimPlan } from './types.ts';
import { addItem, headingPath, place, type Walk } from './walk-state.ts';

const CLAIM_ID = /^[A-Za-z_][\w.-]*$/;
const CLAIM_OPTIONS = new Set(['cite', 'timeout', 'raises', 'match', 'session']);

export function addClaim(walk: Walk, node: Html, a: Annotation, text: string, bodyLine: number): void {
  const file = walk.note.file;
  const id = a.argument;
  if (!id || !CLAIM_ID.test(id)) {
    report(file, '`claim` needs an id: `<!-- claim my-claim-id -->` (letters, digits, `_`, `-`, `.`; starting with a letter)', place(node), 'annotation-missing-argument');
    return;
  }
  if (walk.claims.has(id)) {
    const first = walk.claims.get(id)!;
    report(file, `duplicate claim id \`${id}\` (first used at line ${first.line}); give each claim its own id`, place(node), 'duplicate-claim');
    return;
  }
  if (text.trim() === '') {
    report(file, `claim \`${id}\` annotates no text; put the annotation right after the sentence, paragraph or list item it makes true`, place(node), 'empty-claim');
    return;
  }
  const cites: string[] = [];
  for (const o of a.options) {
    if (o.key === 'cite') {
      if (o.value === true || !/^https?:\/\/\S+$/.test(o.value)) {
        report(file, '`cite=` needs an http(s) URL, e.g. `cite=https://docs.python.org/3/library/asyncio-task.html`', place(node, 0), 'invalid-option-value');
        return;
      }
      cites.push(o.value);
    } else if (!CLAIM_OPTIONS.has(o.key)) {
      report(file, `unknown option \`${o.key}\` on a claim; known options: ${[...CLAIM_OPTIONS].map((k) => `\`${k}\``).join(', ')}`, place(node, o.offset), 'unknown-option');
      return;
    }
  }
  const claim: ClaimPlan = {
    kind: 'claim',
    id,
    text: text.trim(),
    cites,
    checks: [],
    examples: [],
    headingPath: headingPath(walk),
    line: node.position!.start.line,
    column: node.position!.start.column,
    setup: [],
    teardown: [],
  };
  if (a.body) {
    const check = hiddenCheck(walk.note.file, node, a, bodyLine, false);
    if (check) claim.checks.push(check);
  }
  walk.claims.set(id, claim);
  addItem(walk, claim, `claim-${id}`);
}

/** Attach `<!-- check ID -->` blocks and `claim=ID` examples to their claims; a dangling id is an error. */
export function linkEvidence(walk: Walk): void {
  const file = walk.note.file;
  for (const { id, check, line, column } of walk.pendingChecks) {
    const claim = walk.claims.get(id);
    if (!claim) report(file, unknownClaimMessage(walk, id, 'this check'), { line, column }, 'unknown-claim');
    else claim.checks.push(check);
  }
  for (const item of walk.items) {
    if (item.kind !== 'example') continue;
    for (const id of item.options.claims) {
      const claim = walk.claims.get(id);
      if (!claim) report(file, unknownClaimMessage(walk, id, `the example at line ${item.line}`), { line: item.line, column: item.column }, 'unknown-claim');
      else claim.examples.push(item.id);
    }
  }
}

function unknownClaimMessage(walk: Walk, id: string, who: string): string {
  const ids = [...walk.claims.keys()];
  const close = ids.filter((k) => distance(k, id) <= 3).sort((a, b) => distance(a, id) - distance(b, id))[0];
  return `${who} names claim \`${id}\`, but no \`<!-- claim ${id} -->\` is in this note${close ? `; did you mean \`${close}\`?` : ''}`;
}
