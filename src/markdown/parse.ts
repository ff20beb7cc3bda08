/**
 * One parse per note. Every feature (examples, claims, TOC, links) works on the
 * tree produced here, so they can never disagree about what a heading, a code
 * block or a comment is.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'mdast';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { installLinearEditMap } from './linear-edit-map.ts';

// Before the first parse: without it, cost grows with the square of a note's list items.
installLinearEditMap();
const processor = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml', 'toml']);

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
  return processor.parse(stripBom(text)) as Root;
}

export function noteFromText(absPath: string, text: string, options: ParseOptions = {}): Note {
  const root = options.root ?? process.cwd();
  const relPath = toRelPath(root, absPath);
  const bom = text.charCodeAt(0) === 0xfeff;
  const body = bom ? text.slice(1) : text;
  const file = new VFile({ path: relPath, value: body, cwd: root });
  const tree = processor.parse(file) as Root;
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
