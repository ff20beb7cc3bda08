/**
 * `requires=` conditions: `python>=3.12` (any of < <= == != >= >) or a module
 * name that must be importable. Unmet conditions skip with the reason.
 */
import { distance } from 'fastest-levenshtein';

export type Condition =
  | { kind: 'python'; op: '<' | '<=' | '==' | '!=' | '>=' | '>'; version: number[]; text: string }
  | { kind: 'module'; name: string; text: string };

const PYTHON = /^python\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+){0,2})$/i;
const MODULE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

/** `python OP VERSION` in any spelling, to explain what is wrong with one that does not parse. */
const VERSIONED = /^([^\s<>=!~]*)\s*(<=|>=|==|!=|~=|=>|=<|<|>|=)\s*(.*)$/;

/** A parsed condition, or why it cannot be read (a malformed condition is an error, never a skip). */
export function parseCondition(text: string): Condition | string {
  const trimmed = text.trim();
  const m = PYTHON.exec(trimmed);
  if (m) return { kind: 'python', op: m[1] as never, version: m[2]!.split('.').map(Number), text };
  if (MODULE.test(trimmed)) return { kind: 'module', name: trimmed, text };
  const versioned = VERSIONED.exec(trimmed);
  if (versioned) {
    const [, tool, op, version] = versioned as unknown as [string, string, string, string];
    if (tool.toLowerCase() !== 'python') {
      const hint = distance(tool.toLowerCase(), 'python') <= 2 ? '; did you mean `python`?' : '';
      return `unknown tool \`${tool}\` in \`requires=${trimmed}\`: only \`python\` takes a version (a module condition is a bare module name)${hint}`;
    }
    if (!['<', '<=', '==', '!=', '>=', '>'].includes(op)) {
      return `unknown comparison \`${op}\` in \`requires=${trimmed}\`; use one of <, <=, ==, !=, >=, >`;
    }
    return `cannot read the version \`${version}\` in \`requires=${trimmed}\`; write one to three numbers such as \`3.12\``;
  }
  return `cannot read the condition \`${text}\` in \`requires=\`; write \`python>=3.12\` (with <, <=, ==, !=, >=, >) or a module name`;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function pythonConditionHolds(c: Extract<Condition, { kind: 'python' }>, version: number[]): boolean {
  // Compare only as many components as the author wrote: `python==3.11` holds for 3.11.7.
  const cmp = compareVersions(version.slice(0, c.version.length), c.version);
  switch (c.op) {
    case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '==': return cmp === 0;
    case '!=': return cmp !== 0;
    case '>=': return cmp >= 0;
    case '>': return cmp > 0;
  }
}
