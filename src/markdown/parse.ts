/**
 * One parse per note. Every feature (examples, claims, TOC, links) works on the
 * tree produced here, so they can never disagree about what a heading, a code
 * block or a comment is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import { type Extension as MdastExtension, fromMarkdown } from 'mdast-util-from-markdown';
import type { Extension as MicromarkExtension } from 'micromark-util-types';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { Point } from 'unist';
import { VFile } from 'vfile';
import { report } from '../diagnostics/index.ts';
import { installLinearEditMap } from './linear-edit-map.ts';
import { limitContainerMarkers, NESTING_REASON, NESTING_RULE, pruneDeepNodes } from './nesting.ts';
import { parseInPieces } from './chunked.ts';

// Before the first parse: without it, cost grows with the square of a note's list items.
installLinearEditMap();

// The plugins only gather their syntax extensions here; the parse itself runs in `parseLimited`,
// which bounds the nesting between micromark and the tree transforms (gfm's autolink literals
// walk the tree recursively).
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']).freeze();
type Nested<T> = T | Nested<T>[];
const flat = <T>(list: Nested<T>[] | undefined): T[] => (list ?? []).flat(Infinity as 1) as T[];
const micromarkExtensions = flat(processor.data('micromarkExtensions') as Nested<MicromarkExtension>[] | undefined);
const allMdastExtensions = flat(processor.data('fromMarkdownExtensions') as Nested<MdastExtension>[] | undefined);
const transforms = allMdastExtensions.flatMap((extension) => extension.transforms ?? []);
const mdastExtensions = allMdastExtensions.map(({ transforms: _, ...rest }) => rest);

interface LimitedParse {
  tree: Root;
  /** Where nesting past the limit was skipped (first place of each kind), and how many places in all. */
  deep: { first: Point; count: number } | undefined;
}

/** Parse with the nesting limit of `nesting.ts`; never recurses deeper than the limit. */
function parseLimited(body: string): LimitedParse {
  const limited = limitContainerMarkers(body);
  // A large note in pieces (chunked.ts): the same tree, without micromark holding every event of it at once.
  let tree = parseInPieces(limited.text, (text) => fromMarkdown(text, { extensions: micromarkExtensions, mdastExtensions }));
  const pruned = pruneDeepNodes(tree);
  for (const transform of transforms) tree = (transform(tree) as Root | undefined) ?? tree;
  const places = [...limited.truncated, ...pruned].sort((a, b) => (a.offset ?? 0) - (b.offset ?? 0));
  return { tree, deep: places.length > 0 ? { first: places[0] as Point, count: places.length } : undefined };
}

export interface Note {
  /** Absolute path of the note on disk. */
  path: string;
  /** Path relative to the repository root, with forward slashes; used in every diagnostic. */
  relPath: string;
  /** The exact text of the file (a BOM, if any, is kept here; remark sees the text without it). */
  text: string;
  /** True when the file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** The vfile carrying the diagnostics of this note; its `path` is `relPath`. */
  file: VFile;
  tree: Root;
}

export interface ParseOptions {
  /** Repository root; diagnostics name files relative to it. Defaults to the current directory. */
  root?: string;
}

/** Parse Markdown text. Offsets in the tree are offsets into `text` without its BOM. */
export function parseMarkdown(text: string): Root {
  return parseLimited(stripBom(text)).tree;
}

export function noteFromText(absPath: string, text: string, options: ParseOptions = {}): Note {
  const root = options.root ?? process.cwd();
  const relPath = toRelPath(root, absPath);
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  const file = new VFile({ path: relPath, value: body, cwd: root });
  const { tree, deep } = parseLimited(body);
  if (deep) {
    const more = deep.count > 1 ? ` (${deep.count} places in this note; this is the first)` : '';
    report(file, `${NESTING_REASON}${more}`, deep.first, NESTING_RULE);
  }
  return { path: absPath, relPath, text, bom, file, tree };
}

export function readNote(filePath: string, options: ParseOptions = {}): Note {
  const absPath = path.resolve(options.root ?? process.cwd(), filePath);
  return noteFromText(absPath, readFileSync(absPath, 'utf8'), options);
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function toRelPath(root: string, absPath: string): string {
  return path.relative(root, absPath).split(path.sep).join('/');
}
