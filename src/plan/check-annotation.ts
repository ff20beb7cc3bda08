/** A hidden Python check: the code of a block `claim` annotation, or of a `<!-- check ID ... -->`. */
import type { Html } from 'mdast';
import type { VFile } from 'vfile';
import { report } from '../diagnostics/index.ts';
import type { Annotation } from './annotations.ts';
import { DEFAULT_TIMEOUT_MS } from './options.ts';
import type { CheckPlan } from './types.ts';

export function hiddenCheck(file: VFile, node: Html, a: Annotation, bodyLine: number, needsBody: boolean): CheckPlan | undefined {
  if (needsBody && (!a.argument || !a.body)) {
    report(file, '`check` needs a claim id and code: `<!-- check claim-id` then Python code on the next lines, then `-->`', node.position?.start, a.argument ? 'annotation-missing-code' : 'annotation-missing-argument');
    return undefined;
  }
  const values: Record<string, string> = {};
  for (const o of a.options) {
    if (o.key === 'cite') continue;
    if (!['timeout', 'raises', 'match', 'session'].includes(o.key) || o.value === true) {
      report(file, `unknown or incomplete option \`${o.key}\` on a check; known options: \`timeout=SECONDS\`, \`raises=NAME\`, \`match=REGEX\`, \`session=NAME\``, { line: node.position!.start.line, column: node.position!.start.column + o.offset }, o.value === true && ['timeout', 'raises', 'match', 'session'].includes(o.key) ? 'invalid-option-value' : 'unknown-option');
      return undefined;
    }
    values[o.key] = o.value;
  }
  const timeout = values['timeout'] !== undefined ? Number(values['timeout']) : DEFAULT_TIMEOUT_MS / 1000;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    report(file, '`timeout=` needs a positive number of seconds', node.position?.start, 'invalid-option-value');
    return undefined;
  }
  return {
    lang: 'python',
    code: a.body ?? '',
    firstLine: bodyLine,
    line: node.position!.start.line,
    column: node.position!.start.column,
    timeoutMs: Math.round(timeout * 1000),
    raises: values['raises'],
    match: values['match'],
    session: values['session'],
  };
}
