/** A fence's info string as this tool reads it: the language, its own options, positioned errors. */
import type { Code } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { parseCondition } from '../run/requires.ts';
import { parseInfoString, readFenceInfo, separateOptions, type FenceInfo } from './fence-info.ts';
import type { RawOption } from './info-string.ts';
import type { OptionSpec, ParsedOptions } from './options.ts';
import { place, type Walk } from './walk-state.ts';

const cache = new WeakMap<Code, FenceInfo>();

/** The info string of a fence, read once from the source (an indented code block has none). */
export function fenceInfoOf(walk: Walk, node: Code): FenceInfo {
  let info = cache.get(node);
  if (!info) {
    info = readFenceInfo(walk.source, node) ?? parseInfoString('');
    cache.set(node, info);
  }
  return info;
}

/**
 * This tool's options of a fence, with the errors reported: an unreadable info
 * string, near-misses of option names. `undefined` when the info string cannot
 * be read at all. Renderer attributes are left out.
 */
export function reportFenceOptionErrors(walk: Walk, node: Code, info: FenceInfo, schema: Record<string, OptionSpec>, what: string): { options: RawOption[]; attributes: string[] } | undefined {
  if (info.error) {
    report(walk.note.file, `malformed info string: ${info.error.message}`, place(node, info.error.offset), 'malformed-info-string');
    return undefined;
  }
  const { options, attributes, errors } = separateOptions(info, Object.keys(schema), what);
  for (const e of errors) report(walk.note.file, e.message, place(node, e.offset), e.ruleId);
  if (errors.length > 0) return undefined;
  return { options, attributes: attributes.sort((a, b) => a.offset - b.offset).map((a) => a.text) };
}

/** Every `requires=` condition must be readable: a typo would otherwise skip the example (or pick the wrong output) silently. */
export function checkRequires(walk: Walk, node: Code, options: readonly RawOption[], values: ParsedOptions): boolean {
  const conditions = (values['requires'] as string[] | undefined) ?? [];
  const at = options.find((o) => o.key === 'requires');
  let ok = true;
  for (const text of conditions) {
    const parsed = parseCondition(text);
    if (typeof parsed === 'string') {
      report(walk.note.file, parsed, place(node, at?.offset ?? 0), 'malformed-requires');
      ok = false;
    }
  }
  return ok;
}
