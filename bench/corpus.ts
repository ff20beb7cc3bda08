/**
 * A deterministic Markdown corpus for benchmarks: `generateCorpus({dir, notes,
 * seed})` writes `<dir>/notes/<folder>/<name>.md` (so `dir` can serve as a
 * repository root; `<dir>/notes` is replaced, and only when it holds the
 * `.generated-corpus` marker of an earlier run) with headings of all kinds (ATX and setext, inline code,
 * emphasis, punctuation, emoji, non-Latin letters, duplicates), TOC regions
 * (under a TOC heading or between markers, with front matter options now
 * and then), links between notes and to their anchors, Python fences whose
 * comments look like headings, and HTML comments hiding fake headings.
 *
 * The TOCs are rendered here with github-slugger directly, independently of
 * src/toc, so a TOC check over the corpus is also a cross-check: exactly the
 * notes listed in `staleTocs` are stale. Same options → same bytes.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';

export interface CorpusOptions {
  /** Root of the corpus; notes go to `<dir>/notes`, which is deleted first. */
  dir: string;
  notes: number;
  seed: number;
  /** Fraction of the notes with a TOC whose TOC is made stale (default 0.05). */
  staleFraction?: number;
  /** Fraction of links between notes pointing to a heading that does not exist (default 0.02). */
  brokenLinkFraction?: number;
}

export interface CorpusLink {
  from: string;
  href: string;
  broken: boolean;
}

export interface Corpus {
  notesDir: string;
  /** Note paths relative to `notesDir`, forward slashes, sorted. */
  files: string[];
  /** Notes with a TOC region. */
  withToc: string[];
  /** Notes whose TOC was made stale on purpose. */
  staleTocs: string[];
  links: CorpusLink[];
  bytes: number;
}

/** mulberry32: small, fast, deterministic (shared by every generated corpus of the benches). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** File that marks a folder as a generated corpus, so that only such a folder is ever deleted. */
const MARKER = '.generated-corpus';

const FOLDERS = ['python', 'python/asyncio', 'rust', 'web', 'ops', 'math', 'tools', 'data', 'misc'];
const WORDS = (
  'event loop task future coroutine thread process queue buffer cache index parser token stream socket ' +
  'scheduler channel mutex lock actor signal handler context manager iterator generator closure scope module ' +
  'package import export build deploy release test fixture mock server client request response header body'
).split(' ');
const SENTENCES = [
  'This section explains the idea with a small example.',
  'The point is to keep the state in one place and pass it around explicitly.',
  'In practice this matters when the program grows beyond a single file.',
  'A common mistake is to block the loop with a synchronous call.',
  'Measure before optimising; the profile is usually surprising.',
  'The official documentation covers the details but skips the motivation.',
  'Prefer small functions with one job each, they are easier to test.',
  'Errors should carry enough context to find the cause quickly.',
];
/** [markdown, plain text] of special headings; plain text is what GitHub slugs and shows. */
const SPECIAL: Array<[string, string]> = [
  ['Using `asyncio.gather()`', 'Using asyncio.gather()'],
  ['What is *really* happening?', 'What is really happening?'],
  ['C++ vs. Rust: a comparison', 'C++ vs. Rust: a comparison'],
  ['Emoji 🚀 launch', 'Emoji 🚀 launch'],
  ['日本語の見出し', '日本語の見出し'],
  ['Ελληνικά και Русский', 'Ελληνικά και Русский'],
  ['Über Straße', 'Über Straße'],
  ['`__init__` and `__new__`', '__init__ and __new__'],
  ['Links like [this one](https://example.com)', 'Links like this one'],
  ['Q&A', 'Q&A'],
  ['100% done!', '100% done!'],
  ['Example', 'Example'],
  ['Example', 'Example'],
  ['Example-1', 'Example-1'],
];
const TOC_HEADINGS = ['Table of contents', 'Contents', 'TOC', 'Table of content'];

interface Heading {
  depth: number;
  markdown: string;
  plain: string;
  setext: boolean;
  slug: string;
}

interface NotePlan {
  rel: string;
  title: string;
  toc: 'heading' | 'markers' | 'none';
  tocHeading: string;
  maxDepth: number;
  frontMatter: boolean;
  headings: Heading[];
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
/** Link text escaping as GitHub needs it: brackets, backslash, code, emphasis, HTML; `_` unless inside a word. */
const escapeText = (text: string): string =>
  text
    .replace(/[\\[\]`*<]/g, (ch) => `\\${ch}`)
    .replace(/_/g, (ch, i: number, all: string) => (/[\p{L}\p{N}]/u.test(all[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[i + 1] ?? '') ? ch : `\\${ch}`));

function planNote(rand: () => number, index: number): NotePlan {
  const folder = pick(rand, FOLDERS);
  const name = `${pick(rand, WORDS)}-${pick(rand, WORDS)}-${index}`;
  const title = `${name.replace(/-\d+$/, '').replace(/-/g, ' ')} notes ${index}`;
  const roll = rand();
  const toc = roll < 0.55 ? 'heading' : roll < 0.85 ? 'markers' : 'none';
  const maxDepth = rand() < 0.1 ? 3 : 4;
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  const add = (depth: number, markdown: string, plain: string, setext = false): void => {
    headings.push({ depth, markdown, plain, setext, slug: slugger.slug(plain) });
  };
  slugger.slug(title);
  const tocHeading = pick(rand, TOC_HEADINGS);
  if (toc === 'heading') add(2, tocHeading, tocHeading);
  const count = 6 + Math.floor(rand() * 18);
  let depth = 2;
  for (let i = 0; i < count; i++) {
    depth = 2 + Math.floor(rand() * Math.min(3, depth));
    if (rand() < 0.15) {
      const [markdown, plain] = pick(rand, SPECIAL);
      add(depth, markdown, plain);
    } else {
      const text = `${pick(rand, WORDS)} ${pick(rand, WORDS)}`.replace(/^./, (c) => c.toUpperCase());
      add(depth, text, text, depth === 2 && rand() < 0.1);
    }
  }
  const frontMatter = rand() < 0.3 || (toc === 'heading' && maxDepth !== 4);
  return { rel: `${folder}/${name}.md`, title, toc, tocHeading, maxDepth, frontMatter, headings };
}

function renderToc(plan: NotePlan): string[] {
  const included = plan.headings.filter((h) => h.depth >= 2 && h.depth <= plan.maxDepth);
  const base = Math.min(...included.map((h) => h.depth));
  let previous = -1;
  return included.map((h) => {
    const level = Math.min(h.depth - base, previous + 1);
    previous = level;
    return `${'  '.repeat(level)}- [${escapeText(h.plain)}](#${h.slug})`;
  });
}

function relativeHref(from: string, to: string): string {
  const href = path.posix.relative(path.posix.dirname(from), to);
  return href.startsWith('.') ? href : `./${href}`.replace(/^\.\/(?!\.)/, '');
}

function renderNote(rand: () => number, plan: NotePlan, plans: NotePlan[], options: CorpusOptions, links: CorpusLink[], stale: boolean): string {
  const lines: string[] = [];
  if (plan.frontMatter) {
    lines.push('---', `title: ${plan.title}`, `summary: Notes about ${plan.title.toLowerCase()}.`);
    if (plan.maxDepth !== 4 && plan.toc === 'heading') lines.push(`toc: {maxDepth: ${plan.maxDepth}}`);
    lines.push('tags: [bench, generated]', '---');
  }
  lines.push(`# ${plan.title}`, '');
  const link = (): string => {
    const target = pick(rand, plans);
    const heading = target.headings.length > 0 && rand() < 0.6 ? pick(rand, target.headings) : undefined;
    const broken = heading !== undefined && rand() < (options.brokenLinkFraction ?? 0.02);
    const href = relativeHref(plan.rel, target.rel) + (heading ? `#${broken ? `${heading.slug}-missing` : heading.slug}` : '');
    links.push({ from: plan.rel, href, broken });
    return `[${escapeText(heading?.plain ?? target.title)}](${href})`;
  };
  lines.push(`${pick(rand, SENTENCES)} See ${link()} and ${link()}.`, '');
  let toc = renderToc(plan);
  if (stale && toc.length > 1) {
    toc = rand() < 0.5 ? toc.filter((_, i) => i !== 1) : toc.map((line, i) => (i === 1 ? line.replace(/\]\(#/, ' (old)](#old-') : line));
  }
  const markerOptions = plan.maxDepth !== 4 ? ` max-depth=${plan.maxDepth}` : '';
  if (plan.toc === 'markers') lines.push(`<!-- toc${markerOptions} -->`, '', ...toc, '', '<!-- tocstop -->', '');
  for (const heading of plan.headings) {
    if (heading.setext) lines.push(heading.markdown, '-'.repeat(heading.markdown.length));
    else lines.push(`${'#'.repeat(heading.depth)} ${heading.markdown}`);
    lines.push('');
    if (plan.toc === 'heading' && heading.plain === plan.tocHeading && heading === plan.headings[0]) {
      lines.push(...toc, '');
      continue;
    }
    const paragraphs = 1 + Math.floor(rand() * 3);
    for (let p = 0; p < paragraphs; p++) {
      const words = [pick(rand, SENTENCES), pick(rand, SENTENCES)];
      if (rand() < 0.3) words.push(`Compare with ${link()}.`);
      if (rand() < 0.2) words.push(`Back to [${escapeText(plan.headings[0]?.plain ?? '')}](#${plan.headings[0]?.slug ?? ''}).`);
      lines.push(words.join(' '), '');
    }
    const extra = rand();
    if (extra < 0.08) lines.push('```python', '# Not a heading: a Python comment', 'async def main():', '    # ## still not a heading', '    await asyncio.sleep(0)', '```', '');
    else if (extra < 0.12) lines.push('<!--', '## A heading hidden in a comment', '-->', '');
    else if (extra < 0.2) lines.push(`- ${pick(rand, SENTENCES)}`, `- ${pick(rand, SENTENCES)}`, '');
  }
  return lines.join('\n');
}

export function generateCorpus(options: CorpusOptions): Corpus {
  const rand = random(options.seed);
  const plans = Array.from({ length: options.notes }, (_, i) => planNote(rand, i));
  const notesDir = path.join(options.dir, 'notes');
  const marker = path.join(notesDir, MARKER);
  if (existsSync(notesDir) && !existsSync(marker)) {
    throw new Error(`generateCorpus: ${notesDir} exists and is not a generated corpus (no ${MARKER}); refusing to delete it`);
  }
  rmSync(notesDir, { recursive: true, force: true });
  mkdirSync(notesDir, { recursive: true });
  writeFileSync(marker, 'Generated by bench/corpus.ts; deleted and rewritten by every run.\n');
  const links: CorpusLink[] = [];
  const staleTocs: string[] = [];
  let bytes = 0;
  for (const plan of plans) {
    const stale = plan.toc !== 'none' && rand() < (options.staleFraction ?? 0.05);
    if (stale) staleTocs.push(plan.rel);
    const text = renderNote(rand, plan, plans, options, links, stale);
    const file = path.join(notesDir, plan.rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  }
  const sorted = (list: string[]): string[] => [...list].sort();
  return {
    notesDir,
    files: sorted(plans.map((p) => p.rel)),
    withToc: sorted(plans.filter((p) => p.toc !== 'none').map((p) => p.rel)),
    staleTocs: sorted(staleTocs),
    links,
    bytes,
  };
}
