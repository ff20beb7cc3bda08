/** A fence's info string as this tool reads it: the language, its own options, positioned errors. */
import type { Code } from 'mdast';
import { report } from '../diagnostics/index.ts';
import { parseCondition } from '../run/requires.ts';
import { nearMissOption, parseInfoString, readFenceInfo, separateOptions, type FenceInfo } from './fence-info.ts';
import { runnerFor } from './languages.ts';
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

/** MyST directives whose body this tool could run, and the fence language that runs it. */
function runnableAs(directive: string, argument: string | undefined): string | undefined {
  if (directive === '{doctest}') return 'pycon';
  if (['{code-cell}', '{code-block}', '{code}', '{sourcecode}'].includes(directive) && argument && typeof runnerFor(argument) === 'string' && runnerFor(argument) !== 'not-executable') return argument;
  return undefined;
}

/**
 * A MyST directive fence (```{doctest}) never runs here, and the words after the directive are
 * its arguments: an option of this tool among them (`claim=a`, `skip`) or a near-miss of one would
 * bind or change nothing, which can only be a mistake. Reports each; true when any was found.
 */
export function reportOptionsOnDirective(walk: Walk, node: Code, info: FenceInfo, known: readonly string[]): boolean {
  if (!info.lang.startsWith('{') || info.raw) return false;
  const words = info.attributes.map((a) => ({ ...a, key: /^([A-Za-z_][\w-]*)(=|$)/.exec(a.text) }));
  const argument = words.find((w) => w.key && w.key[2] === '')?.text;
  const options = words.filter((w) => w.key && known.includes(w.key[1]!));
  let found = false;
  for (const w of words) {
    if (!w.key) continue;
    const key = w.key[1]!;
    const where = `a MyST \`${info.lang}\` directive`;
    if (known.includes(key)) {
      const as = runnableAs(info.lang, argument);
      const fence = as ? `\`\`\`${[as, ...options.map((o) => o.text)].join(' ')}` : undefined;
      const fix = fence
        ? ` To run the block, write its fence as ${fence}${as === 'pycon' ? ' (Sphinx runs a document\'s `{doctest}` blocks in one namespace: give blocks that share names the same `session=`)' : ''}; otherwise remove the option`
        : ' Remove the option';
      report(walk.note.file, `\`${w.key[2] === '=' ? `${key}=` : key}\` on ${where} binds nothing: this tool does not run MyST directives.${fix}`, place(node, w.offset), 'option-not-applicable');
      found = true;
    } else if (w.key[2] === '=') {
      const suggestion = nearMissOption(key, known);
      if (!suggestion) continue;
      report(walk.note.file, `unknown option \`${key}\` on ${where}; did you mean \`${suggestion}\`? This tool does not run MyST directives, so no option of its applies here either`, place(node, w.offset), 'unknown-option');
      found = true;
    }
  }
  return found;
}
