/**
 * Includes that cannot drift: a fence bound to a file (or a line range, or a
 * named region) must show exactly that text.
 *
 * Region markers are comment lines in the included file:
 *   # region NAME   …   # endregion        (also `// region`, `<!-- region -->`, `#region`)
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { RuleId } from '../diagnostics/index.ts';
import type { IncludePlan } from '../plan/types.ts';

export type IncludeResult = { ok: true; text: string } | { ok: false; message: string; rule: RuleId };

const REGION_START = (name: string) => new RegExp(`^\\s*(?:#|//|<!--|--|;|/\\*)\\s*#?region\\s+${escape(name)}\\b`);
const REGION_END = /^\s*(?:#|\/\/|<!--|--|;|\/\*)\s*#?endregion\b/;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function readInclude(include: IncludePlan, root: string): IncludeResult {
  const abs = path.resolve(root, include.resolved);
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return { ok: false, message: `included file \`${include.target}\` does not exist (resolved to ${include.resolved})`, rule: 'include-missing' };
  }
  const realRoot = realpathSync(root);
  const rel = path.relative(realRoot, real);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    return { ok: false, message: `included file \`${include.target}\` resolves (through a symlink) outside the repository; include only files inside it`, rule: 'include-outside-repository' };
  }
  const text = readFileSync(real, 'utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (include.lines) {
    const [from, to] = include.lines;
    if (to > lines.length) {
      return { ok: false, message: `\`lines=${from}-${to}\` is past the end of \`${include.target}\` (${lines.length} lines)`, rule: 'include-range' };
    }
    return { ok: true, text: lines.slice(from - 1, to).join('\n') };
  }
  if (include.region) {
    const start = lines.findIndex((l) => REGION_START(include.region!).test(l));
    if (start === -1) return { ok: false, message: `no \`region ${include.region}\` marker in \`${include.target}\``, rule: 'include-region' };
    const end = lines.findIndex((l, i) => i > start && REGION_END.test(l));
    if (end === -1) return { ok: false, message: `\`region ${include.region}\` in \`${include.target}\` (line ${start + 1}) has no \`endregion\``, rule: 'include-region' };
    return { ok: true, text: dedent(lines.slice(start + 1, end)).join('\n') };
  }
  return { ok: true, text: lines.join('\n') };
}

/** Regions inside functions are indented in the file; the note shows them flush left. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}
