/**
 * A fence's info string, read from the note's source (the fence's first line),
 * not from mdast's `lang`/`meta`: CommonMark unescapes backslashes there (so
 * `match="\d+"` would arrive as `d+`) and splits at the first space even inside
 * quotes (`title="Content tabs"`).
 *
 * The first word names the language. What follows is this tool's options when
 * they are its option names, and renderer attributes otherwise, so notes written
 * for other renderers keep working:
 *   mkdocs-material / pymdownx   python title="main.py" hl_lines="2 3" linenums="1"
 *                                { .python .annotate #id key=value }, python { .annotate }, .sh
 *   pandoc                       {.python .numberLines startFrom="10"}  (language = first class)
 *                                {=html}  (a raw block: never a test)
 *   mkdocs snippets              python:snippets/file.py
 *   MyST directives              {doctest}, {code-cell} ipython3, {toctree}  (the directive is the language)
 *   Docusaurus                   js title="x.js" showLineNumbers {1,3-5}
 *   mdBook / rustdoc             rust,ignore  rust,should_panic,edition2021
 * A near-miss of one of this tool's option names (`timout=3`) is reported by the
 * caller (see `nearMissOption`), because a typo must never be ignored.
 */
import { distance } from 'fastest-levenshtein';
import type { Code } from 'mdast';
import { tokenizeOptions, type RawOption } from './info-string.ts';

export interface FenceInfo {
  /** The language as written (`''` when none); a pandoc raw block `{=html}` gives `html`. */
  lang: string;
  /** 0-based column offset of the language word from the fence's first character. */
  langOffset: number;
  /** True for a pandoc raw block (`{=html}`): content for one output format, never a test. */
  raw: boolean;
  /** This tool's options; `offset` is the 0-based column offset from the fence's first character. */
  options: RawOption[];
  /** Renderer attributes, as written, kept for rendering and ignored for running. */
  attributes: RendererAttribute[];
  /** A token that cannot be read (an unterminated quote); offset as for options. */
  error?: { message: string; offset: number };
  /** `key=...` tokens that could not be read as options: an error only when the key is one of this tool's options. */
  unreadable: { key: string; message: string; offset: number }[];
}

export interface RendererAttribute {
  text: string;
  /** The key for `key=value` and bare-word attributes, else undefined (`.class`, `#id`, `{1,3-5}`). */
  key?: string;
  offset: number;
}

/** Attribute names other renderers use; never taken for a typo of this tool's options. */
export const RENDERER_ATTRIBUTES: ReadonlySet<string> = new Set([
  // mkdocs-material / pymdownx / Python-Markdown
  'title', 'hl_lines', 'linenums', 'anchor_linenums', 'line_spans', 'linenostart', 'lineanchors', 'linespans', 'use_pygments', 'annotate', 'lang', 'class', 'id',
  // pandoc
  'numberlines', 'number-lines', 'startfrom', 'caption', 'label', 'source', 'data', 'style', 'width', 'height',
  // Docusaurus / MDX / Shiki / Expressive Code
  'showlinenumbers', 'filename', 'file', 'frame', 'highlight', 'mark', 'ins', 'del', 'collapse', 'wrap', 'twoslash', 'live', 'noinline', 'copy',
  // mdBook / rustdoc
  'ignore', 'should_panic', 'no_run', 'editable', 'compile_fail', 'noplayground', 'mdbook-runnable', 'test_harness', 'allow_fail', 'standalone_crate',
  'edition2015', 'edition2018', 'edition2021', 'edition2024', 'hidelines',
  // knitr / Quarto / org-style
  'echo', 'eval', 'include', 'results', 'warning', 'message',
]);

/** Read the info string of a fenced code node from the source; `undefined` for an indented code block. */
export function readFenceInfo(source: string, node: Code): FenceInfo | undefined {
  const start = node.position?.start.offset;
  if (start === undefined) return undefined;
  const newline = source.indexOf('\n', start);
  const firstLine = source.slice(start, newline === -1 ? undefined : newline).replace(/\r$/, '');
  const opening = /^(`{3,}|~{3,})/.exec(firstLine);
  if (!opening) return undefined;
  return parseInfoString(firstLine.slice(opening[1]!.length), opening[1]!.length);
}

/**
 * Parse an info string (without the fence characters). `base` is added to every
 * offset, so offsets count from the fence's first character.
 */
export function parseInfoString(info: string, base = 0): FenceInfo {
  const result: FenceInfo = { lang: '', langOffset: base, raw: false, options: [], attributes: [], unreadable: [] };
  const tokens = splitTokens(info);
  if ('error' in tokens) {
    result.error = { message: tokens.error.message, offset: base + tokens.error.offset };
    // The language still decides whether the error matters (a data block's info string is not this tool's business).
    const word = /^(\s*)([^\s{=]+)(?=\s|$)/.exec(info);
    if (word) {
      const text = word[2]!.startsWith('.') ? word[2]!.slice(1) : word[2]!;
      result.lang = text.split(/[:,{]/)[0]!;
      result.langOffset = base + word[1]!.length + (word[2]!.length - text.length);
    }
    return result;
  }
  let list = tokens.list;
  const first = list[0];
  if (first && first.text.startsWith('{')) {
    // `{.python .annotate}` / `{=html}`: the first class names the language.
    const inner = splitTokens(first.text.slice(1, first.text.endsWith('}') ? -1 : undefined));
    const innerList = 'error' in inner ? [] : inner.list.map((t) => ({ text: t.text, offset: first.offset + 1 + t.offset }));
    const directive = innerList.length === 1 && /^[A-Za-z][\w-]*$/.test(innerList[0]!.text) ? innerList[0]! : undefined;
    if (directive) {
      // A MyST directive, `{doctest}` or `{include} ../README.md`: its name is the "language", the rest are its arguments.
      result.lang = `{${directive.text}}`;
      result.langOffset = base + first.offset;
      result.attributes.push(...list.slice(1).map((t) => ({ text: t.text, offset: base + t.offset })));
      return result;
    }
    const rawFormat = innerList.find((t) => t.text.startsWith('='));
    const langToken = rawFormat ?? innerList.find((t) => t.text.startsWith('.'));
    if (langToken) {
      result.lang = langToken.text.slice(1);
      result.langOffset = base + langToken.offset + 1;
      result.raw = rawFormat !== undefined;
    }
    list = [...innerList.filter((t) => t !== langToken), ...list.slice(1)];
  } else if (first && !/^[A-Za-z_][\w.-]*=/.test(first.text)) {
    // `python`, `.sh`, `python:snippets/file.py`, `rust,ignore`: the first word names the language.
    const word = first.text.startsWith('.') ? first.text.slice(1) : first.text;
    const cut = word.search(/[:,{]/);
    result.lang = cut === -1 ? word : word.slice(0, cut);
    result.langOffset = base + first.offset + (first.text.length - word.length);
    list = list.slice(1);
    if (cut !== -1) {
      const restOffset = first.offset + (first.text.length - word.length) + cut;
      const rest = word.slice(cut);
      if (rest.startsWith(',')) {
        // rustdoc / mdBook flags: `rust,ignore,edition2021`.
        let offset = restOffset + 1;
        const flags = rest.slice(1).split(',').map((text) => {
          const token = { text, offset };
          offset += text.length + 1;
          return token;
        });
        list = [...flags.filter((t) => t.text !== ''), ...list];
      } else {
        list = [{ text: rest, offset: restOffset }, ...list];
      }
    }
  }
  for (const token of list) {
    const shifted = { text: token.text, offset: base + token.offset };
    if (token.text.startsWith('{') && token.text.length > 1) {
      // `python { .annotate }` or Docusaurus `{1,3-5}`: renderer attributes only, and this tool's options inside braces too.
      const inner = splitTokens(token.text.slice(1, token.text.endsWith('}') ? -1 : undefined));
      if ('error' in inner || inner.list.every((t) => !/^[A-Za-z_]/.test(t.text))) {
        result.attributes.push(shifted);
        continue;
      }
      for (const t of inner.list) classify(result, { text: t.text, offset: shifted.offset + 1 + t.offset });
      continue;
    }
    classify(result, shifted);
  }
  return result;
}

const KEY_TOKEN = /^([A-Za-z_][\w.-]*)(=|$)/;

function classify(result: FenceInfo, token: { text: string; offset: number }): void {
  const key = KEY_TOKEN.exec(token.text);
  if (!key) {
    result.attributes.push(token);
    return;
  }
  const parsed = tokenizeOptions(token.text);
  if (parsed.error || parsed.options.length !== 1) {
    // An option of this tool that cannot be read is an error; a renderer attribute is the renderer's business.
    result.attributes.push({ ...token, key: key[1] });
    const error = parsed.error ?? { message: `cannot read \`${token.text}\``, offset: 0 };
    result.unreadable.push({ key: key[1]!, message: error.message, offset: token.offset + error.offset });
    return;
  }
  result.options.push({ ...parsed.options[0]!, offset: token.offset });
}

/**
 * Split this tool's options from renderer attributes, given the option names the
 * block accepts. Returns the errors to report: an unreadable option of this
 * tool, and near-misses of its option names (`timout=3`: did you mean `timeout`?).
 */
export function separateOptions(
  info: FenceInfo,
  known: readonly string[],
  what: string,
): { options: RawOption[]; attributes: RendererAttribute[]; errors: { message: string; offset: number; ruleId: 'malformed-info-string' | 'unknown-option' }[] } {
  const options: RawOption[] = [];
  const attributes: RendererAttribute[] = info.attributes.filter((a) => !(a.key !== undefined && known.includes(a.key) && info.unreadable.some((u) => u.key === a.key)));
  const errors: { message: string; offset: number; ruleId: 'malformed-info-string' | 'unknown-option' }[] = [];
  for (const p of info.unreadable) {
    if (known.includes(p.key)) errors.push({ message: `malformed info string: ${p.message}`, offset: p.offset, ruleId: 'malformed-info-string' });
  }
  for (const option of info.options) {
    if (known.includes(option.key)) {
      options.push(option);
      continue;
    }
    const suggestion = nearMissOption(option.key, known);
    if (suggestion) {
      errors.push({
        message: `unknown option \`${option.key}\` on ${what}; did you mean \`${suggestion}\`? (known options: ${known.map((k) => `\`${k}\``).join(', ')}; other words are renderer attributes, kept and ignored)`,
        offset: option.offset,
        ruleId: 'unknown-option',
      });
      continue;
    }
    attributes.push({ text: option.value === true ? option.key : `${option.key}=${option.value}`, key: option.key, offset: option.offset });
  }
  return { options, attributes, errors };
}

/** This tool's option name that `key` is a typo of, unless `key` is a known renderer attribute. */
export function nearMissOption(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  if (RENDERER_ATTRIBUTES.has(lower)) return undefined;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const d = distance(lower, name);
    const limit = name.length <= 4 ? 1 : 2;
    if (d <= limit && d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

interface Token {
  text: string;
  offset: number;
}

/** Whitespace-separated tokens; quotes (`"a b"`, `'a b'`, with `\"` escapes) and `{...}` groups stay whole. */
function splitTokens(input: string): { list: Token[] } | { error: { message: string; offset: number } } {
  const list: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/.test(input[i]!)) i++;
    if (i >= n) break;
    const start = i;
    let quote: string | undefined;
    let quoteStart = 0;
    let depth = 0;
    while (i < n) {
      const c = input[i]!;
      if (quote) {
        if (c === '\\' && (input[i + 1] === quote || input[i + 1] === '\\')) i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        // A quote opens a value only after `=` (or at a token's start): `don't` is a word.
        if (i === start || input[i - 1] === '=') {
          quote = c;
          quoteStart = i;
        }
      } else if (c === '{') depth++;
      else if (c === '}') depth = Math.max(0, depth - 1);
      else if (/\s/.test(c) && depth === 0) break;
      i++;
    }
    if (quote) {
      const keyMatch = /^([A-Za-z_][\w.-]*)=/.exec(input.slice(start));
      const what = keyMatch ? `for \`${keyMatch[1]}\`` : '';
      return { error: { message: `unterminated quoted value ${what}; close it with ${quote}`.replace('  ', ' '), offset: keyMatch ? start : quoteStart } };
    }
    list.push({ text: input.slice(start, i), offset: start });
  }
  return { list };
}
