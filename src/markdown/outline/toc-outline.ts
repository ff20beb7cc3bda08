/**
 * Fast path for the CLI: a line scanner that builds the top-level outline of a
 * note (headings with their plain text, lists, HTML comments, front matter,
 * paragraphs) WITHOUT running micromark over the prose, which is where a full
 * parse spends its time (about 1 ms per note, mostly per block).
 *
 * It is exact or it gives up: any line it cannot classify with certainty
 * (raw HTML, headings/fences/comments inside lists or quotes, tabs in
 * indentation, reference-like brackets, setext underlines after tables or
 * definitions, ...) makes it return undefined, and the caller parses the note
 * with the shared parser. Heading texts with inline markup are parsed with
 * the shared parser too, one heading at a time. test/toc/scan.test.ts checks
 * it against the full parse on the fixtures, the bench corpus and random
 * documents. The outline is only trusted to say "current" or "absent": the
 * CLI re-checks anything else (stale, errors) on a full parse.
 */
import type { Heading, Html, Paragraph, Root, RootContent, Yaml } from 'mdast';
import type { Point } from 'unist';
import { VFile } from 'vfile';
import { type Note, toRelPath } from '../parse.ts';
import { type Line, mayNestDeep, splitLines } from './lines.ts';
import { allResolved, atxPlainText, type Pending, resolvePending, simplePlainText } from '../../toc/outline-inline.ts';


class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/s;
const THEMATIC = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const ITEM = /^( {0,3})([-+*]|(\d{1,9})[.)])([ \t]+|$)(.*)$/s;
const BLANK = /^[ \t]*$/;
const PLAIN = /^[ \t]*[\p{L}\p{N}]/u;
const ORDERED = /^[ \t]*\d{1,9}[.)](?:[ \t]|$)/;

function leadingSpaces(text: string): number {
  const match = /^[ \t]*/.exec(text)?.[0] ?? '';
  if (match.includes('\t')) giveUp();
  return match.length;
}

const startsWithAsciiLetter = (text: string): boolean => {
  const code = text.charCodeAt(0) | 0x20;
  return code >= 97 && code <= 122;
};

const point = (line: Line, offset: number): Point => ({ line: line.number, column: offset - line.start + 1, offset });

/** A line inside a list or quote: it must not hold anything that could be a heading, fence, HTML or underline. */
function checkContainerLine(text: string): string {
  if (text.includes('<!--')) giveUp();
  let core = text;
  for (;;) {
    core = core.replace(/^ +/, '');
    if (core.startsWith('\t')) giveUp();
    if (core.startsWith('>')) {
      core = core.slice(1);
      continue;
    }
    if (THEMATIC.test(core) || SETEXT.test(core)) giveUp();
    const marker = /^([-+*]|\d{1,9}[.)])(?= |$)/.exec(core);
    if (!marker) break;
    core = core.slice(marker[0].length);
  }
  if (/^[#`~<]/.test(core)) giveUp();
  return core;
}

export interface ScanOptions {
  root?: string;
  /** Also compute the plain text of the first top-level paragraph (for the index summary). */
  summary?: boolean;
}

interface Scanned {
  tree: Root;
  pending: Pending[];
}

function tryScan(body: string, wantSummary: boolean): Scanned | undefined {
  // micromark reads NUL as U+FFFD: the parser's text differs from the source there.
  if (body.includes('\0')) return undefined;
  try {
    return scan(body, wantSummary);
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** The outline of `body` (text without BOM), or undefined when the scanner is not sure. */
export function scanOutline(body: string, options: { summary?: boolean } = {}): Root | undefined {
  const scanned = tryScan(body, options.summary === true);
  return scanned && allResolved(scanned.pending) ? scanned.tree : undefined;
}

/**
 * Notes whose trees are the scanner's outlines; undefined for a note the
 * scanner is not sure about (parse it fully then). The inline markup of all
 * the notes is resolved in one parse.
 */
export function scanNotes(inputs: ReadonlyArray<{ path: string; text: string }>, options: ScanOptions = {}): Array<Note | undefined> {
  const root = options.root ?? process.cwd();
  const scanned = inputs.map(({ text }) => tryScan(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, options.summary === true));
  const resolved = resolvePending(scanned.flatMap((s) => s?.pending ?? []));
  let next = 0;
  return inputs.map(({ path, text }, index) => {
    const s = scanned[index];
    if (!s) return undefined;
    const mine = resolved?.slice(next, (next += s.pending.length));
    if (!(mine ? mine.every(Boolean) : allResolved(s.pending))) return undefined;
    const bom = text.charCodeAt(0) === 0xfeff;
    const relPath = toRelPath(root, path);
    return { path, relPath, text, bom, file: new VFile({ path: relPath, value: bom ? text.slice(1) : text, cwd: root }), tree: s.tree };
  });
}

/** A Note whose tree is the scanner's outline, or undefined (parse the note fully then). */
export function scanNote(absPath: string, text: string, options: ScanOptions = {}): Note | undefined {
  return scanNotes([{ path: absPath, text }], options)[0];
}

type State =
  | { kind: 'normal' }
  | { kind: 'paragraph'; first: Line; last: Line; lines: Line[]; unsure: boolean }
  | { kind: 'list'; first: Line; last: Line; contentOffset: number; marker: string; blank: boolean }
  | { kind: 'quote'; first: Line; last: Line; lastEmpty: boolean }
  | { kind: 'fence'; first: Line; closing: RegExp }
  | { kind: 'html'; first: Line };

function scan(body: string, wantSummary: boolean): Scanned {
  const lines = splitLines(body);
  const children: RootContent[] = [];
  const position = (first: Line, last: Line, indent = leadingSpaces(first.text)) => ({
    start: point(first, first.start + indent),
    end: point(last, last.end),
  });
  let summaryDone = !wantSummary;
  const pending: Pending[] = [];
  let i = 0;

  // Front matter: `---` on the first line, closed by the next `---` line.
  if (/^[-+]{3}/.test(lines[0]?.text ?? '')) {
    if (lines[0]?.text !== '---') giveUp();
    const close = lines.findIndex((line, index) => index > 0 && /^---[ \t]*$/.test(line.text));
    if (close === -1 || lines[close]?.text !== '---') giveUp();
    const first = lines[0] as Line;
    const last = lines[close] as Line;
    const value = close === 1 ? '' : body.slice((lines[1] as Line).start, (lines[close - 1] as Line).end);
    children.push({ type: 'yaml', value, position: position(first, last, 0) } satisfies Yaml);
    i = close + 1;
  }

  let state: State = { kind: 'normal' };
  const close = (): void => {
    const s = state;
    state = { kind: 'normal' };
    if (s.kind === 'paragraph') {
      const node: Paragraph = { type: 'paragraph', children: [], position: position(s.first, s.last) };
      if (!summaryDone) {
        if (s.unsure) giveUp();
        pending.push({ source: body.slice(s.first.start, s.last.end), node }); // the note's own line endings: the parser's text keeps them
        summaryDone = true;
      }
      children.push(node);
    } else if (s.kind === 'list') {
      children.push({ type: 'list', ordered: /\d/.test(s.marker), spread: false, children: [], position: position(s.first, s.last) });
    } else if (s.kind === 'quote') {
      children.push({ type: 'blockquote', children: [], position: position(s.first, s.last) });
    } else if (s.kind === 'fence' || s.kind === 'html') {
      const last = lines[lines.length - 1] as Line;
      if (s.kind === 'fence') children.push({ type: 'code', value: '', position: position(s.first, last) });
      else children.push({ type: 'html', value: body.slice(s.first.start + leadingSpaces(s.first.text), last.end), position: position(s.first, last) });
    }
  };

  for (; i < lines.length; i++) {
    const line = lines[i] as Line;
    const { text } = line;
    if (mayNestDeep(text)) giveUp(); // the full parse applies the nesting limit and reports it
    const blank = BLANK.test(text);
    switch (state.kind) {
      case 'fence': {
        if (state.closing.test(text)) {
          children.push({ type: 'code', value: '', position: position(state.first, line) });
          state = { kind: 'normal' };
        }
        continue;
      }
      case 'html': {
        if (text.includes('-->')) {
          const start = state.first.start + leadingSpaces(state.first.text);
          children.push({ type: 'html', value: body.slice(start, line.end), position: position(state.first, line) } satisfies Html);
          state = { kind: 'normal' };
        }
        continue;
      }
      case 'paragraph': {
        if (startsWithAsciiLetter(text)) {
          // Prose: a letter in column 1 cannot start or end any block, so the paragraph goes on.
          if (text.includes('<!--')) giveUp();
          if (text.includes('|')) state.unsure = true;
          state.lines.push(line);
          state.last = line;
          continue;
        }
        if (blank) {
          close();
          continue;
        }
        const underline = SETEXT.exec(text);
        if (underline) {
          if (state.unsure) giveUp();
          const depth = underline[1]?.startsWith('=') ? 1 : 2;
          const node: Heading = { type: 'heading', depth, children: [], position: position(state.first, line) };
          const single = state.lines.length === 1 ? simplePlainText(state.first.text.replace(/^[ \t]+|[ \t]+$/g, ''))?.trim() : undefined;
          if (single !== undefined) node.children = [{ type: 'text', value: single }];
          else pending.push({ source: body.slice(state.first.start, line.end), node }); // the note's own line endings
          children.push(node);
          state = { kind: 'normal' };
          continue;
        }
        const item = ITEM.exec(text);
        const interrupts =
          ATX.test(text) ||
          FENCE.test(text) ||
          /^ {0,3}[<>]/.test(text) ||
          THEMATIC.test(text) ||
          (item !== null && (item[5] ?? '').trim() !== '' && (item[3] === undefined || item[3] === '1'));
        if (item?.[3] !== undefined && item[3] !== '1' && Number(item[3]) === 1) giveUp();
        if (interrupts) {
          close();
          i--;
          continue;
        }
        if (text.includes('<!--')) giveUp();
        if (text.includes('|')) state.unsure = true;
        state.lines.push(line);
        state.last = line;
        continue;
      }
      case 'list': {
        if (blank) {
          state.blank = true;
          continue;
        }
        const indent = leadingSpaces(text);
        if (indent >= state.contentOffset) {
          checkContainerLine(text);
          state.last = line;
          state.blank = false;
          continue;
        }
        const item = ITEM.exec(text);
        if (item && !THEMATIC.test(text)) {
          const marker = item[3] === undefined ? (item[2] as string) : (item[2] as string).slice(-1);
          if ((item[5] ?? '').trim() === '' || (item[3] !== undefined && item[3] !== '1')) {
            // An empty item or an ordered item not numbered 1 may be lazy text rather than a new list.
            if (marker !== state.marker || (item[5] ?? '').trim() === '') giveUp();
          }
          if (marker !== state.marker) {
            close();
            i--;
            continue;
          }
          if ((item[4] ?? '').includes('\t') || (item[5] ?? '').trim() === '') giveUp();
          const spaces = (item[4] as string).length;
          state.contentOffset = (item[1] as string).length + (item[2] as string).length + (spaces <= 4 ? spaces : 1);
          checkContainerLine(item[5] as string);
          state.last = line;
          state.blank = false;
          continue;
        }
        if (state.blank || ATX.test(text) || FENCE.test(text) || /^ {0,3}[<>]/.test(text) || THEMATIC.test(text)) {
          close();
          i--;
          continue;
        }
        if (SETEXT.test(text) || !PLAIN.test(text) || ORDERED.test(text)) giveUp();
        checkContainerLine(text);
        state.last = line;
        continue;
      }
      case 'quote': {
        if (blank) {
          close();
          continue;
        }
        if (/^ {0,3}>/.test(text)) {
          state.lastEmpty = checkContainerLine(text).trim() === '';
          state.last = line;
          continue;
        }
        const item = ITEM.exec(text);
        if (item && ((item[5] ?? '').trim() === '' || (item[3] !== undefined && item[3] !== '1'))) giveUp();
        if (ATX.test(text) || FENCE.test(text) || /^ {0,3}</.test(text) || THEMATIC.test(text) || item) {
          close();
          i--;
          continue;
        }
        if (state.lastEmpty || SETEXT.test(text) || !PLAIN.test(text)) giveUp();
        checkContainerLine(text);
        state.last = line;
        continue;
      }
      case 'normal': {
        if (startsWithAsciiLetter(text)) {
          if (text.includes('<!--')) giveUp();
          state = { kind: 'paragraph', first: line, last: line, lines: [line], unsure: text.includes('|') };
          continue;
        }
        if (blank) continue;
        const indent = leadingSpaces(text);
        if (indent >= 4) {
          children.push({ type: 'code', value: '', position: position(line, line) });
          continue;
        }
        if (ATX.test(text)) {
          const depth = (ATX.exec(text)?.[1] ?? '#').length as Heading['depth'];
          const node: Heading = { type: 'heading', depth, children: [], position: position(line, line) };
          const plain = atxPlainText(line.text);
          if (plain === undefined) pending.push({ source: text.trimStart(), node });
          else node.children = [{ type: 'text', value: plain }];
          children.push(node);
          continue;
        }
        const fence = FENCE.exec(text);
        if (fence) {
          const char = (fence[1] as string)[0] as string;
          if (char === '`' && (fence[2] ?? '').includes('`')) giveUp();
          state = { kind: 'fence', first: line, closing: new RegExp(`^ {0,3}${char === '`' ? '`' : '~'}{${(fence[1] as string).length},}[ \\t]*$`) };
          continue;
        }
        if (/^ {0,3}<!--/.test(text)) {
          const rest = text.slice(indent + 4);
          if (/^-?>/.test(rest)) giveUp();
          if (rest.includes('-->')) children.push({ type: 'html', value: text.slice(indent), position: position(line, line) } satisfies Html);
          else state = { kind: 'html', first: line };
          continue;
        }
        if (/^ {0,3}</.test(text)) giveUp();
        if (/^ {0,3}>/.test(text)) {
          state = { kind: 'quote', first: line, last: line, lastEmpty: checkContainerLine(text).trim() === '' };
          continue;
        }
        if (THEMATIC.test(text)) {
          children.push({ type: 'thematicBreak', position: position(line, line) });
          continue;
        }
        const item = ITEM.exec(text);
        if (item) {
          if ((item[4] ?? '').includes('\t') || (item[5] ?? '').trim() === '') giveUp();
          const spaces = (item[4] as string).length;
          const marker = item[3] === undefined ? (item[2] as string) : (item[2] as string).slice(-1);
          checkContainerLine(item[5] as string);
          state = {
            kind: 'list',
            first: line,
            last: line,
            marker,
            blank: false,
            contentOffset: (item[1] as string).length + (item[2] as string).length + (spaces <= 4 ? spaces : 1),
          };
          continue;
        }
        if (text.includes('<!--')) giveUp();
        if (/^ {0,3}\[\^/.test(text)) giveUp(); // a footnote definition is a container
        state = { kind: 'paragraph', first: line, last: line, lines: [line], unsure: /^ {0,3}\[/.test(text) || text.includes('|') };
        continue;
      }
    }
  }
  close();
  const end = point(lines[lines.length - 1] as Line, body.length);
  return { tree: { type: 'root', children, position: { start: { line: 1, column: 1, offset: 0 }, end } }, pending };
}
