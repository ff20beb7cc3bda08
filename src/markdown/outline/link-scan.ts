/**
 * Fast path for checking many notes: a line scanner that finds what the link
 * checker needs WITHOUT running micromark over most of a note. A full parse
 * costs about 1 ms per note here, mostly per block; this costs a few µs.
 *
 * It is exact or it gives up. Plain ATX headings become heading nodes with
 * their text; paragraphs and list items whose only inline markup is
 * emphasis, escapes and simple `[text](dest)` links become link nodes; fenced
 * code and HTML comments are skipped. Every other block (markup in a heading,
 * code spans, raw HTML, tables, quotes, setext headings, titles in links,
 * stray brackets, autolink literals, …) is handed over, as source, to the
 * shared parser (`fast/resolve.ts`): blocks separated by blank lines parse the
 * same alone as in their note. Anything that could make a block depend on
 * another one (definitions, tabs, CR, indented code, fences or comments inside
 * containers, mkdocs admonitions and content tabs, HTML blocks that may span blank lines) makes it give up, and
 * the caller parses the whole note. test/links/fast.test.ts checks that the
 * result equals the full parse's on the fixtures, the bench corpus and
 * generated documents.
 */
import type { Heading, Image, Link } from 'mdast';
import type { Point } from 'unist';
import { mayHoldContainer } from '../containers.ts';
import { type Line, mayNestDeep, splitLines } from './lines.ts';

/** A block for the shared parser: whole lines of the body. */
export interface PendingBlock {
  source: string;
  /** Offset and line of its first character in the body. */
  offset: number;
  line: number;
}

export interface FastScan {
  /** Heading and link nodes found without a parse, in document order. */
  nodes: Array<Heading | Link | Image>;
  pending: PendingBlock[];
}

class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

const BLANK = /^[ \t]*$/;
const ATX = /^ {0,3}#{1,6}(?:[ \t]|$)/;
const TOP_FENCE = /^(`{3,}|~{3,})(.*)$/s;
const ANY_FENCE = /^[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]?)*(`{3,}|~{3,})/;
const SETEXT_OR_THEMATIC = /^ {0,3}(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*$/;
const CONTAINER_START = /^ {0,3}(?:>|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$))/;
const LIST_ITEM = /^ *(?:[-+*]|\d{1,9}[.)])( *)(.*)$/s;
/** A line that may start an HTML block, at the margin or inside quotes and list items. */
const HTML_START = /^(?:[ ]*(?:>|[-+*][ ]|\d{1,9}[.)][ ]))*[ ]*</;
/** HTML blocks that may run over blank lines: script/pre/style/textarea, processing instructions, declarations, CDATA. */
const LONG_HTML = /<(?:script|pre|style|textarea)(?:[\s>]|$)|<\?|<![A-Za-z[]/i;
const DEFINITION_LIKE = /\]:/;
/** Inline markup that makes a heading's text differ from its source, or hides a link. */
const HEADING_SPECIAL = /[\\`*_[\]<>~|]|&#?[A-Za-z0-9]+;|www\.|@|https?:\/\/|mailto:|xmpp:/i;
const AUTOLINK_LITERAL = /www\.|@|https?:\/\/|mailto:|xmpp:/i;
const ENTITY = /&#?[A-Za-z0-9]+;/;
const INLINE_LINK = /\[((?:\\[\s\S]|[^\\[\]])*)\]\(([^\s()<>\\]*)\)/y;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Scan a note body (text without BOM). Undefined: parse the whole note instead. */
export function scanBody(body: string): FastScan | undefined {
  // mkdocs containers are read as Markdown of their own (markdown/containers.ts): the full parse does that.
  if (body.includes('\r') || body.includes('\0') || DEFINITION_LIKE.test(body) || LONG_HTML.test(body) || mayHoldContainer(body)) return undefined;
  try {
    return new Scanner(body).run();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}


class Scanner {
  private readonly lines: Line[];
  private readonly nodes: FastScan['nodes'] = [];
  private readonly pending: PendingBlock[] = [];
  private chunk: Line[] = [];
  /** The current run of lines may hold an HTML block (a line starts with `<`, maybe inside a container). */
  private html = false;

  constructor(private readonly body: string) {
    this.lines = splitLines(body);
  }

  run(): FastScan {
    let i = this.frontMatter();
    while (i < this.lines.length) {
      const line = this.lines[i]!;
      const text = line.text;
      if (mayNestDeep(text)) giveUp(); // the full parse applies the nesting limit and reports it
      if (BLANK.test(text)) {
        this.flush();
        i++;
        continue;
      }
      if (text.includes('\t')) giveUp();
      if (this.html) {
        // An HTML block runs to the next blank line, so nothing may start here; but the `<` line may
        // have been inline HTML in a paragraph, where a fence or comment would start and could
        // run past the blank line: that is not for a scanner to decide.
        if (ANY_FENCE.test(text) || (text.includes('<!--') && !text.slice(text.indexOf('<!--') + 4).includes('-->'))) giveUp();
        this.chunk.push(line);
        i++;
        continue;
      }
      const fence = TOP_FENCE.exec(text);
      if (fence) {
        this.flush();
        i = this.skipFence(i, fence[1]!, fence[2]!);
        continue;
      }
      if (ANY_FENCE.test(text)) giveUp();
      if (text.startsWith('<!--')) {
        this.flush();
        i = this.comment(i);
        continue;
      }
      if (text.includes('<!--') && !text.slice(text.indexOf('<!--') + 4).includes('-->')) giveUp();
      // Only a heading at the margin surely closes every list item and quote before it; an
      // indented one may sit inside an item, so it stays in the run of lines (for the parser).
      if (text.startsWith('#') && ATX.test(text)) {
        this.flush();
        this.heading(line);
        i++;
        continue;
      }
      this.chunk.push(line);
      if (HTML_START.test(text)) this.html = true;
      i++;
    }
    this.flush();
    return { nodes: this.nodes, pending: this.pending };
  }

  /** YAML (`---`) or TOML (`+++`) front matter: skipped, it holds no links. */
  private frontMatter(): number {
    const first = this.lines[0]!.text;
    if (first !== '---' && first !== '+++') {
      if (/^(?:---|\+\+\+)[ \t]+$/.test(first)) giveUp();
      return 0;
    }
    for (let i = 1; i < this.lines.length; i++) {
      const text = this.lines[i]!.text;
      if (text === first) return i + 1;
      if (text.trimEnd() === first) giveUp();
    }
    return giveUp();
  }

  /** A fence at the left margin; its content is skipped up to the closing fence (or the end). */
  private skipFence(start: number, marker: string, info: string): number {
    if (marker[0] === '`' && info.includes('`')) giveUp();
    const closing = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
    for (let i = start + 1; i < this.lines.length; i++) {
      if (closing.test(this.lines[i]!.text)) return i + 1;
    }
    return this.lines.length;
  }

  /** An HTML comment block at the left margin: skipped when it is nothing but the comment. */
  private comment(start: number): number {
    const first = this.lines[start]!.text;
    if (first.startsWith('<!-->') || first.startsWith('<!--->')) giveUp();
    let end = start;
    let close = first.indexOf('-->', 4);
    while (close === -1) {
      end++;
      // A comment that never ends runs to the end of the note: nothing after it counts.
      if (end === this.lines.length) return end;
      close = this.lines[end]!.text.indexOf('-->');
    }
    if (!BLANK.test(this.lines[end]!.text.slice(close + 3))) this.addPending(this.lines.slice(start, end + 1));
    return end + 1;
  }

  private heading(line: Line): void {
    const marks = /^#{1,6}/.exec(line.text)![0];
    const content = line.text
      .slice(marks.length)
      .replace(/^[ \t]+/, '')
      .replace(/(^|[ \t]+)#+[ \t]*$/, '')
      .trim();
    if (HEADING_SPECIAL.test(content)) return this.addPending([line]);
    const start: Point = { line: line.number, column: 1, offset: line.start };
    const end: Point = { line: line.number, column: line.text.length + 1, offset: line.start + line.text.length };
    this.nodes.push({
      type: 'heading',
      depth: marks.length as Heading['depth'],
      children: content === '' ? [] : [{ type: 'text', value: content }],
      position: { start, end },
    });
  }

  private addPending(lines: readonly Line[]): void {
    const first = lines[0]!;
    const last = lines.at(-1)!;
    this.pending.push({ source: this.body.slice(first.start, last.start + last.text.length), offset: first.start, line: first.number });
  }

  /** End of a run of lines: paragraphs and list items, or anything else for the parser. */
  private flush(): void {
    const lines = this.chunk;
    this.html = false;
    if (lines.length === 0) return;
    this.chunk = [];
    if (/^ {4}/.test(lines[0]!.text)) giveUp();
    const links = simpleBlockLinks(this.body, lines);
    if (links) {
      this.nodes.push(...links);
      return;
    }
    // Indented code at the end of a block (after a table row, say) runs on over blank lines in the
    // parser's eyes and changes how the next block starts: not independent, so not for the scanner.
    if (/^ {4}/.test(lines.at(-1)!.text)) giveUp();
    this.addPending(lines);
  }
}

/** Links of a block of paragraph and list-item lines with simple inline content; undefined otherwise. */
function simpleBlockLinks(body: string, lines: readonly Line[]): Array<Link | Image> | undefined {
  for (const { text } of lines) {
    if (SETEXT_OR_THEMATIC.test(text) || text.includes('|')) return undefined;
    let core = text;
    while (CONTAINER_START.test(core)) {
      if (/^ {0,3}>/.test(core)) return undefined;
      const item = LIST_ITEM.exec(core)!;
      // Empty item, or content indented like code inside the item.
      if (item[2] === '' || item[1]!.length >= 5) return undefined;
      core = item[2]!;
    }
    if (/^[ ]*[#<>`~]/.test(core) || SETEXT_OR_THEMATIC.test(core)) return undefined;
  }
  const first = lines[0]!;
  const last = lines.at(-1)!;
  const source = body.slice(first.start, last.start + last.text.length);
  const found: Array<Link | Image> = [];
  let outside = '';
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (char === '\\' && i + 1 < source.length && ASCII_PUNCTUATION.test(source[i + 1]!)) {
      outside += source.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (char === '`' || char === '<' || char === '|') return undefined;
    if (char === ']') return undefined;
    if (char === '[') {
      if (source[i + 1] === '^') return undefined;
      INLINE_LINK.lastIndex = i;
      const match = INLINE_LINK.exec(source);
      if (!match || match[2]!.includes('&')) return undefined;
      const image = i > 0 && source[i - 1] === '!' && !escaped(source, i - 1);
      const start = first.start + (image ? i - 1 : i);
      const end = first.start + i + match[0].length;
      found.push(node(image ? 'image' : 'link', match[2]!, pointIn(body, lines, start), pointIn(body, lines, end)));
      outside += `${source.slice(i, i + 1)}${match[1]}`;
      i += match[0].length;
      continue;
    }
    outside += char;
    i++;
  }
  if (ENTITY.test(outside) || AUTOLINK_LITERAL.test(outside)) return undefined;
  return found;
}

function escaped(source: string, index: number): boolean {
  let backslashes = 0;
  for (let j = index - 1; j >= 0 && source[j] === '\\'; j--) backslashes++;
  return backslashes % 2 === 1;
}

function node(type: 'link' | 'image', url: string, start: Point, end: Point): Link | Image {
  const position = { start, end };
  return type === 'image' ? { type, url, alt: null, title: null, position } : { type, url, title: null, children: [], position };
}

function pointIn(body: string, lines: readonly Line[], offset: number): Point {
  let line = lines[0]!;
  for (const candidate of lines) {
    if (candidate.start > offset) break;
    line = candidate;
  }
  return { line: line.number, column: offset - line.start + 1, offset };
}
