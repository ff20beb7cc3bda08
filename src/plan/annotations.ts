/**
 * Annotations are HTML comments, so notes render cleanly on GitHub:
 *
 *   <!-- claim ID [cite=URL]... -->        the sentence/block before it is a claim
 *   <!-- claim ID [options]                (block form) a hidden Python check follows
 *   assert ...
 *   -->
 *   <!-- check ID [options] ... -->        a hidden Python check for claim ID
 *   <!-- setup --> / <!-- teardown -->     hidden code run before/after the section's examples
 *   <!-- include PATH [lines=A-B] [region=NAME] -->   binds the next fence to a file
 *   <!-- skip start [reason="..."] --> ... <!-- skip end -->   the examples between are not run
 *   <!-- skip next [reason="..."] -->     the next example is not run (Sybil's `skip: start|end|next` reads the same)
 *
 * Comments that start with any other word are ordinary comments, and so are
 * comments that start with a keyword but read as prose (`<!-- check this later -->`,
 * `<!-- skip this section for now -->`, `<!-- include the diagram -->`): a
 * comment is an annotation only when what follows the keyword has an
 * annotation's shape (`annotationShaped`). Ambiguous text is the author's.
 */
import { tokenizeOptions, type RawOption } from './info-string.ts';

export type AnnotationKind = 'claim' | 'check' | 'setup' | 'teardown' | 'include' | 'skip';

export const ANNOTATION_KINDS: readonly AnnotationKind[] = ['claim', 'check', 'setup', 'teardown', 'include', 'skip'];

export interface Annotation {
  kind: AnnotationKind;
  /** First word after the keyword (claim id, include path), if any. */
  argument?: string;
  options: RawOption[];
  /** Code after the first line, if any. */
  body?: string;
  /** 0-based line offset of the body's first line from the comment's first line. */
  bodyLineOffset: number;
  /** Column offset (0-based) of the options text inside the first line, for diagnostics. */
  headerOffset: number;
}

export interface AnnotationError {
  message: string;
  /** 0-based offset into the first line of the comment. */
  offset: number;
}

const COMMENT = /^<!--([\s\S]*?)-->\s*$/;

/** `undefined` for a comment that is not an annotation (or not a comment at all). */
export function parseAnnotation(html: string): { annotation?: Annotation; error?: AnnotationError } | undefined {
  const match = COMMENT.exec(html.trim());
  if (!match) return undefined;
  const inner = match[1]!;
  const keyword = /^\s*([a-z]+)(:?)/.exec(inner);
  if (!keyword || !(ANNOTATION_KINDS as readonly string[]).includes(keyword[1]!)) return undefined;
  const kind = keyword[1] as AnnotationKind;
  const leading = html.length - html.trimStart().length;
  const headerStart = 4 + keyword[0].length;
  const newline = inner.indexOf('\n');
  const header = newline === -1 ? inner.slice(keyword[0].length) : inner.slice(keyword[0].length, newline);
  const bodyText = newline === -1 ? undefined : inner.slice(newline + 1);
  // A character right after the keyword (other than ':' or space) means a different word, e.g. `<!-- claims -->`.
  if (header.length > 0 && !/^\s/.test(header)) return undefined;
  const headerOffset = leading + headerStart;
  let rest = header;
  let restOffset = 0;
  let includePath: string | undefined;
  if (kind === 'include') {
    // Paths contain `/` and other characters option keys may not; read the first word raw.
    const path = /^(\s*)("([^"]*)"|(\S+))/.exec(header);
    if (path) {
      includePath = path[3] ?? path[4];
      restOffset = path[0].length;
      rest = header.slice(restOffset);
    }
  }
  const tokens = tokenizeOptions(rest);
  if (!annotationShaped(kind, header, newline !== -1 && bodyText!.trim() !== '')) return undefined;
  if (tokens.error) {
    return { error: { message: `malformed \`${kind}\` annotation: ${tokens.error.message}`, offset: headerOffset + restOffset + tokens.error.offset } };
  }
  const options = tokens.options.map((o) => ({ ...o, offset: o.offset + headerOffset + restOffset }));
  let argument: string | undefined = includePath;
  if (kind !== 'include' && options[0] && options[0].value === true && kind !== 'setup' && kind !== 'teardown') {
    argument = options.shift()!.key;
  }
  let body: string | undefined;
  if (bodyText !== undefined) {
    const lines = bodyText.split(/\r?\n/);
    // The closing `-->` sits on its own line (drop that line) or ends the last code line.
    if (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    body = lines.join('\n');
    if (body.trim() === '') body = undefined;
  }
  return { annotation: { kind, argument, options, body, bodyLineOffset: 1, headerOffset } };
}

export const SKIP_WORDS = ['start', 'end', 'next'];
/** A path an include may name: quoted, or one word with a `/` or a `.` in it (`setup.py`, `../src/app.ts`). */
const PATH_LIKE = /^(?:"[^"]*"|\S*[/.]\S*)$/;

/**
 * Whether the first line after a keyword (`header`) reads as this tool's
 * syntax rather than prose: nothing, options (`key=value`), and the one
 * argument the keyword takes (a claim or check id, an include path, a skip
 * word). A bare word where only options may stand (`this later`) makes it prose.
 * `<!-- check ID -->` needs its code (or options) too: `<!-- check this -->` is a note to self.
 */
export function annotationShaped(kind: AnnotationKind, header: string, hasBody: boolean): boolean {
  const text = header.trim();
  if (text === '') return true; // the keyword alone: meant for a tool (its problems are reported)
  let rest = text;
  if (kind === 'include') {
    const path = /^("[^"]*"|\S+)\s*/.exec(rest)!;
    if (!PATH_LIKE.test(path[1]!)) return false;
    rest = rest.slice(path[0].length);
  } else if (kind === 'skip') {
    const word = /^(\S+)\s*/.exec(rest)!;
    // `skip start|end|next` is this tool's (or Sybil's) syntax whatever follows; its problems are reported.
    if (SKIP_WORDS.includes(word[1]!)) return true;
    if (!SKIP_WORDS.some((w) => editDistance(word[1]!.toLowerCase(), w) <= 1)) return false;
    rest = rest.slice(word[0].length);
  } else if (kind === 'claim' || kind === 'check') {
    const id = /^(\S+)\s*/.exec(rest)!;
    if (id[1]!.includes('=')) return false;
    rest = rest.slice(id[0].length);
    if (kind === 'check' && rest === '' && !hasBody) return false;
  }
  if (rest === '') return true;
  const tokens = tokenizeOptions(rest);
  // Option syntax attempted (`key=`), even malformed: the annotation's; otherwise prose.
  if (tokens.error) return rest.includes('=');
  return tokens.options.every((o) => o.value !== true);
}

export interface MisspeltAnnotation {
  word: string;
  keyword: AnnotationKind;
  /** 0-based offset of the word in the node's text. */
  offset: number;
}

/**
 * A comment whose first word is one edit away from an annotation keyword
 * (`<!-- clam x -->`, `<!-- Claim x -->`, `<!-- inclde a.py -->`): it would be
 * read as an ordinary comment and its evidence silently lost. Ordinary
 * comments (`<!-- TODO -->`, `<!-- prettier-ignore -->`) are far from every keyword.
 */
export function misspeltAnnotation(html: string): MisspeltAnnotation | undefined {
  const trimmed = html.trimStart();
  if (!trimmed.startsWith('<!--')) return undefined;
  const word = /^(\s*)([A-Za-z][\w-]*)(?=[\s:]|-->|$)/.exec(trimmed.slice(4));
  if (!word) return undefined;
  const text = word[2]!;
  const lower = text.toLowerCase();
  const offset = html.length - trimmed.length + 4 + word[1]!.length;
  for (const keyword of ANNOTATION_KINDS) {
    if (text === keyword) return undefined;
  }
  let best: AnnotationKind | undefined;
  let bestDistance = Infinity;
  for (const keyword of ANNOTATION_KINDS) {
    const d = editDistance(lower, keyword);
    const limit = keyword.length > 5 ? 2 : 1;
    if (d <= limit && d < bestDistance) {
      best = keyword;
      bestDistance = d;
    }
  }
  if (!best) return undefined;
  // Only a near miss written as an annotation is one: `<!-- Claim fast cite=URL -->`, `<!-- setpu` + code;
  // `<!-- Check this later -->` and a lone `<!-- Setup -->` are prose.
  const inner = trimmed.slice(4).replace(/-->\s*$/, '');
  const afterWord = inner.slice(word[1]!.length + text.length).replace(/^:/, '');
  const newline = afterWord.indexOf('\n');
  const header = newline === -1 ? afterWord : afterWord.slice(0, newline);
  const hasBody = newline !== -1 && afterWord.slice(newline + 1).trim() !== '';
  if (header.trim() === '' && !hasBody) return undefined;
  return annotationShaped(best, header, hasBody) ? { word: text, keyword: best, offset } : undefined;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (`setpu` → `setup`). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
