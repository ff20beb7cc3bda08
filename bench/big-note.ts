/**
 * One large, realistic note for scaling measurements: `generateBigNote({bytes, seed})` returns
 * Markdown of about `bytes` characters (never less) made of sections like a real note's: a
 * heading, paragraphs with inline code, emphasis and links (to other sections, to the web, by
 * reference), short lists (nested now and then, some ordered, some task lists), a quote, a
 * table, and every few sections an example (a Python fence with its assertion, or a pycon
 * session). A TOC of every section sits at the top, as `npm run toc` writes it. The
 * `changelog` shape makes each section a release: short lists of one-line entries.
 *
 * Same options → same text; a larger `bytes` gives the same sections plus more, so sizes
 * compare like for like. The examples are cheap to run (a few arithmetic assertions each).
 */
import GithubSlugger from 'github-slugger';
import { random } from './corpus.ts';

export interface BigNoteOptions {
  /** Minimum size in UTF-16 code units (the generator stops after the section that reaches it). */
  bytes: number;
  seed?: number;
  /** One example every `examplesEvery` sections (default 4); 0 for none. */
  examplesEvery?: number;
  /**
   * `note` (default): prose, short lists, quotes, tables, examples. `changelog`: a release
   * per section, each a few headed lists of short one-line entries with an issue link, the
   * densest common shape (most lines open and close a container).
   */
  shape?: 'note' | 'changelog';
}

export interface BigNote {
  text: string;
  sections: number;
  examples: number;
  links: number;
}


const WORDS = [
  'buffer', 'cache', 'worker', 'scope', 'closure', 'iterator', 'context', 'loop', 'event', 'queue',
  'thread', 'value', 'name', 'module', 'package', 'error', 'result', 'future', 'task', 'stream',
  'parser', 'token', 'tree', 'node', 'index', 'slice', 'string', 'number', 'list', 'mapping',
];
const TOPICS = ['Reading files', 'Async tasks', 'Error handling', 'Name lookup', 'Iteration', 'Caching', 'Packaging', 'Testing'];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function sentence(rand: () => number, inline: () => string): string {
  const words: string[] = [];
  const count = 8 + Math.floor(rand() * 10);
  for (let i = 0; i < count; i++) words.push(rand() < 0.12 ? inline() : pick(rand, WORDS));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

export function generateBigNote(options: BigNoteOptions): BigNote {
  const rand = random(options.seed ?? 1);
  const examplesEvery = options.examplesEvery ?? 4;
  const slugger = new GithubSlugger();
  const titles: { title: string; slug: string; depth: number }[] = [];
  const body: string[] = [];
  let size = 0;
  let examples = 0;
  let links = 0;
  const add = (line: string): void => {
    body.push(line);
    size += line.length + 1;
  };
  const sectionLink = (): string => {
    links++;
    const target = titles.length > 0 ? pick(rand, titles) : undefined;
    return target ? `[${target.title.toLowerCase()}](#${target.slug})` : '[the contents](#table-of-contents)';
  };
  const inline = (): string => {
    const roll = rand();
    if (roll < 0.3) return `\`${pick(rand, WORDS)}()\``;
    if (roll < 0.5) return `*${pick(rand, WORDS)}*`;
    if (roll < 0.75) return sectionLink();
    links++;
    return roll < 0.9 ? `[docs](https://example.org/${pick(rand, WORDS)}/${Math.floor(rand() * 100)})` : `[${pick(rand, WORDS)}][ref-${Math.floor(rand() * 5)}]`;
  };
  const paragraph = (): void => {
    const count = 1 + Math.floor(rand() * 3);
    const sentences: string[] = [];
    for (let i = 0; i < count; i++) sentences.push(sentence(rand, inline));
    add(sentences.join(' '));
    add('');
  };
  const list = (): void => {
    const items = 2 + Math.floor(rand() * 3);
    const kind = rand();
    for (let i = 0; i < items; i++) {
      const marker = kind < 0.6 ? '-' : kind < 0.85 ? `${i + 1}.` : `- [${rand() < 0.5 ? 'x' : ' '}]`;
      add(`${marker} ${sentence(rand, inline)}`);
      if (rand() < 0.15) add(`${' '.repeat(marker.startsWith('-') ? 2 : marker.length + 1)}- ${sentence(rand, inline)}`);
    }
    add('');
  };
  const example = (n: number): void => {
    examples++;
    const a = 1 + Math.floor(rand() * 50);
    const b = 1 + Math.floor(rand() * 50);
    if (rand() < 0.6) {
      add('```python');
      const name = `${pick(rand, WORDS)}_${n}`;
      add(`${name} = ${a} + ${b}`);
      add(`assert ${name} == ${a + b}`);
      add('```');
    } else {
      add('```pycon');
      add(`>>> ${a} * ${b}`);
      add(String(a * b));
      add('```');
    }
    add('');
  };

  let n = 0;
  while (size < options.bytes) {
    n++;
    const depth = n % 5 === 1 ? 2 : 3;
    const title = options.shape === 'changelog' ? `Release 1.${n}.0` : `${pick(rand, TOPICS)} ${n}`;
    const slug = slugger.slug(title);
    add(`${'#'.repeat(depth)} ${title}`);
    add('');
    if (options.shape === 'changelog') {
      for (const kind of ['Added', 'Changed', 'Fixed']) {
        if (rand() < 0.3) continue;
        add(`#### ${kind}`);
        add('');
        const items = 1 + Math.floor(rand() * 4);
        for (let i = 0; i < items; i++) {
          add(`- ${pick(rand, WORDS)} ${pick(rand, WORDS)} ([#${Math.floor(rand() * 5000)}](https://example.org/issues/${n}))`);
        }
        add('');
      }
      if (examplesEvery > 0 && n % examplesEvery === 0) example(n);
      titles.push({ title, slug, depth });
      continue;
    }
    paragraph();
    list();
    if (rand() < 0.5) paragraph();
    if (rand() < 0.3) list();
    if (rand() < 0.1) {
      add(`> ${sentence(rand, inline)}`);
      add(`> See ${sectionLink()}.`);
      add('');
    }
    if (rand() < 0.08) {
      add('| name | value |');
      add('| --- | --- |');
      for (let i = 0; i < 3; i++) add(`| \`${pick(rand, WORDS)}\` | ${Math.floor(rand() * 1000)} |`);
      add('');
    }
    if (examplesEvery > 0 && n % examplesEvery === 0) example(n);
    titles.push({ title, slug, depth });
  }
  for (let i = 0; i < 5; i++) add(`[ref-${i}]: https://example.org/reference/${i}`);

  const toc = titles.map((t) => `${t.depth === 3 ? '  ' : ''}- [${t.title}](#${t.slug})`);
  const head = ['# A large note', '', 'Generated for scaling measurements.', '', '## Table of contents', '', ...toc, ''];
  return { text: [...head, ...body].join('\n') + '\n', sections: n, examples, links };
}
