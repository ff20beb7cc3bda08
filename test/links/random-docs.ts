/** Deterministic Markdown documents built from blocks that stress the fast scanner's edge cases. */

const BLOCKS = [
  '# Title',
  '## Using `asyncio.gather()`',
  '### *Emphasis* heading',
  '#### Link [in a heading](other.md#x)',
  '## Example',
  '## Example',
  '  ## Indented heading',
  '#hashtag is not a heading',
  '## Closing hashes ##',
  '##',
  'Setext heading\n===',
  'Another setext\n---',
  'Plain prose without anything special.',
  'A [link](a.md) and ![image](i.png) and [another](b.md#frag).',
  'A [titled link](a.md "title") here.',
  'An autolink <https://example.com/x> here.',
  'A literal www.example.com and https://example.org/page and mail@example.com.',
  'Reference [x][y] and shortcut [z] and collapsed [w][].',
  'Escaped \\[not a link\\](x.md) and \\![not an image](i.png).',
  'Code `[a](b.md)` and ``[c](d.md)`` spans.',
  'Raw <a href="h.md#top">html</a> and <span id="anchor-1">x</span>.',
  'Entity &amp; and [entity dest](a&amp;b.md) and Q&A.',
  '[multi\nline](x.md) link text.',
  '[a](b.md)(c) and [a] (b.md) and [](empty-text.md) and [empty]().',
  '[nested [brackets]](x.md) and [a](b(c).md).',
  'Emphasis *around [a link](e.md)* and _under [one](u.md)_.',
  'Footnote[^1] call.',
  '- [item](l.md)\n- second [x](y.md)\n  - nested [n](n.md)',
  '1. [ordered](o.md)\n2) other',
  '-     code-like [x](y.md)',
  '-\n  [after empty item](e.md)',
  '- [ ] task [t](t.md)',
  '* star item [s](s.md)',
  '> quoted [q](q.md)\nlazy [l](l.md)',
  '> # quoted heading',
  '```\n[fenced](f.md)\n```',
  '~~~md\n[tilde](t.md)\n\n## not heading\n~~~',
  '```js\n\n[blank lines inside](x.md)\n\n```',
  '```unclosed\n[x](y.md)',
  '    [indented code](c.md)',
  '<!-- [comment](c.md) -->',
  '<!--\n\n[multi-line comment](c.md)\n\n-->',
  '<!-- c --> [after comment](a.md)',
  '<!--\n## hidden heading\n-->',
  '<div>\n[in html](h.md)\n</div>',
  '<a id="raw-anchor"></a>',
  '<details>\n\n[in details](d.md)\n\n</details>',
  '| a | b |\n|---|---|\n| [cell](c.md) | z |',
  'Pipe | in [text](p.md)',
  '[def]: d.md',
  '***',
  '---',
  '___',
  '* * *',
  'Trailing backslash\\\nnext [line](n.md)',
  'Emoji 🚀 [rocket](r.md) and 日本語 [リンク](j.md)',
  'Percent [enc](my%20file.md#caf%C3%A9)',
  '<span>',
  '<a id="alone">',
  '- <div>\n  # inside html in a list\n  [x](y.md)',
  '- item\n  # heading in a list item\n  text [in item](i.md)',
  '1. # ordered heading [o](o.md)',
  '- > quote in a list [q](q.md)',
  '+++\ntoml = 1\n+++',
  '- list\n---',
  'a | b\n--|--\n[c](c.md) | d',
  'text <!-- inline --> [after](a.md)',
  '> > nested\n> > ```\n> > [in fence](f.md)\n> > ```',
  '[angle](<b c.md>) and [spaces](<x.md>)',
  '![alt [with] brackets](i.png)',
  '~~~ `info`\n[x](y.md)\n~~~',
  '- a\n    - deep [d](d.md)\n        - deeper [e](e.md)',
  'Paragraph\n2. not a list [x](y.md)',
  '\\# escaped hash [h](h.md)',
  '#',
  '# Heading with trailing spaces   ',
  '## Heading with `code` and [link](l.md)',
  'A line\n    indented continuation [x](y.md)',
  '[link]\n(not-a-dest.md)',
  '[a](b.md)[c](d.md)![e](f.png)',
  '*[emphasised link](e.md)*',
  '**[bold link](b.md)** and ~~[struck](s.md)~~',
];

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomDocuments(count: number, seed: number): string[] {
  const rand = random(seed);
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    // Most documents avoid the constructs that make the scanner give up, so its own paths get exercised.
    const simple = rand() < 0.6;
    const pool = simple ? BLOCKS.filter((block) => !/\]:|\t|<pre|^ {4}|^-\n|```unclosed|<!--\n\n/m.test(block)) : BLOCKS;
    const parts: string[] = rand() < 0.3 ? ['---\ntitle: generated\n---'] : [];
    const blocks = 3 + Math.floor(rand() * 10);
    for (let b = 0; b < blocks; b++) parts.push(pool[Math.floor(rand() * pool.length)]!);
    // Blocks are joined by a blank line, or directly (so they interrupt or continue each other).
    docs.push(parts.reduce((doc, part, i) => (i === 0 ? part : doc + (rand() < 0.7 ? '\n\n' : '\n') + part), '') + (rand() < 0.9 ? '\n' : ''));
  }
  return docs;
}
