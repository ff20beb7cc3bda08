/**
 * Items for the lists of a scanner outline, needed only to explain a stale
 * TOC entry by entry. A list of one-line `- [text](#anchor)` items is read
 * line by line (nesting from the indentation, as CommonMark nests items);
 * any other list is parsed on its own with the shared parser and its
 * positions moved back to the note's lines.
 */
import type { Link, List, ListItem, Paragraph } from 'mdast';
import type { Point } from 'unist';
import { type Note, parseMarkdown } from '../markdown/parse.ts';
import { simplePlainText } from './outline-inline.ts';

const ENTRY = /^( *)([-*+]) \[((?:\\[!-/:-@[-`{-~]|[^[\]\\])*)\]\((#[^()\s]*)\)[ \t]*$/;
const ESCAPE = /\\([!-/:-@[-`{-~])/g;

/** Plain text of a link label whose only markup is backslash escapes and code spans. */
function labelText(label: string): string | undefined {
  const unescaped = label.replace(ESCAPE, '$1');
  if (unescaped === label) return simplePlainText(label);
  // Escaped characters are literal: check the rest with them taken out.
  const rest = label.replace(ESCAPE, '');
  return simplePlainText(rest) === rest ? unescaped : undefined;
}

/** Items of a list of simple entry lines; undefined when a line is anything else. */
function simpleItems(body: string, from: number, end: number, firstLine: number): ListItem[] | undefined {
  const top: ListItem[] = [];
  const stack: Array<{ item: ListItem; contentOffset: number }> = [];
  let offset = from;
  let number = firstLine;
  for (const text of body.slice(from, end).split('\n')) {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    const match = ENTRY.exec(line);
    // A code span in the label is an inlineCode node in the parse (the TOC keeps code style from it): parse such a list.
    const label = match && !(match[3] as string).includes('`') ? labelText(match[3] as string) : undefined;
    if (!match || label === undefined) return undefined;
    const indent = (match[1] as string).length;
    while (stack.length > 0 && indent < (stack[stack.length - 1]?.contentOffset ?? 0)) stack.pop();
    const parent = stack[stack.length - 1];
    if (indent - (parent?.contentOffset ?? 0) > 3) return undefined;
    const at = (column: number): Point => ({ line: number, column, offset: offset + column - 1 });
    const link: Link = {
      type: 'link',
      url: match[4] as string,
      children: [{ type: 'text', value: label }],
      position: { start: at(indent + 3), end: at(line.trimEnd().length + 1) },
    };
    const paragraph: Paragraph = { type: 'paragraph', children: [link], position: link.position };
    const item: ListItem = { type: 'listItem', spread: false, children: [paragraph], position: { start: at(indent + 1), end: at(line.length + 1) } };
    if (parent) {
      const last = parent.item.children[parent.item.children.length - 1];
      if (last?.type === 'list') last.children.push(item);
      else parent.item.children.push({ type: 'list', ordered: false, spread: false, children: [item] });
    } else top.push(item);
    stack.push({ item, contentOffset: indent + 2 });
    offset += text.length + 1;
    number++;
  }
  return top;
}

/** One list parsed on its own, positions moved back; undefined unless it parses as exactly one list. */
function parsedList(body: string, from: number, end: number, firstLine: number): List | undefined {
  const mini = parseMarkdown(body.slice(from, end));
  const parsed = mini.children[0];
  if (mini.children.length !== 1 || parsed?.type !== 'list') return undefined;
  const shift = (p: Point | undefined): void => {
    if (!p) return;
    p.line += firstLine - 1;
    if (p.offset !== undefined) p.offset += from;
  };
  const move = (node: { position?: { start: Point; end: Point }; children?: unknown[] }): void => {
    shift(node.position?.start);
    shift(node.position?.end);
    for (const child of (node.children ?? []) as Array<typeof node>) move(child);
  };
  move(parsed);
  return parsed;
}

/** Give the outline's lists their items. False when a list cannot be read (parse the note fully then). */
export function fillLists(note: Note, lists: readonly List[]): boolean {
  const body = note.bom ? note.text.slice(1) : note.text;
  return lists.every((list) => {
    const start = list.position?.start;
    const end = list.position?.end.offset;
    if (!start || start.offset === undefined || end === undefined) return false;
    // From the start of the list's first line, so every line keeps its columns.
    const from = start.offset - (start.column - 1);
    const items = simpleItems(body, from, end, start.line);
    if (items) {
      list.children = items;
      return true;
    }
    const parsed = parsedList(body, from, end, start.line);
    if (!parsed) return false;
    // The list's own fields as the parser reads them (the outline guesses ordered and spread, and has no start).
    Object.assign(list, { ordered: parsed.ordered, start: parsed.start, spread: parsed.spread, children: parsed.children });
    return true;
  });
}
