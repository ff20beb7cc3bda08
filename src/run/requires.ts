/**
 * `requires=` conditions: `python>=3.12` (any of < <= == != >= >) or a module
 * name that must be importable. Unmet conditions skip with the reason.
 */
export type Condition =
  | { kind: 'python'; op: '<' | '<=' | '==' | '!=' | '>=' | '>'; version: number[]; text: string }
  | { kind: 'module'; name: string; text: string };

const PYTHON = /^python\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+){0,2})$/;
const MODULE = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/;

export function parseCondition(text: string): Condition | string {
  const m = PYTHON.exec(text.trim());
  if (m) return { kind: 'python', op: m[1] as never, version: m[2]!.split('.').map(Number), text };
  if (MODULE.test(text.trim())) return { kind: 'module', name: text.trim(), text };
  return `cannot read condition \`${text}\`; write \`python>=3.12\` (with <, <=, ==, !=, >=, >) or a module name`;
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
