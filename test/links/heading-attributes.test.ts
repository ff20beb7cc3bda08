/**
 * `## Title { #custom-id .class }` (Python-Markdown attr_list, pandoc): the id
 * is the heading's anchor and the braces are not part of its title, for the
 * link checker and the TOC alike.
 */
import { describe, expect, it } from 'vitest';
import { headingAttributes } from '../../src/markdown/heading-attributes.ts';
import { headingAnchors } from '../../src/markdown/slug.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { updateToc } from '../../src/toc/toc.ts';

describe('headingAttributes', () => {
  it.each([
    ['Title { #custom-id }', 'Title', 'custom-id'],
    ['Title {#id .class}', 'Title', 'id'],
    ['Title {: #opts data-level="2" }', 'Title', 'opts'],
    ['Title { .lead }', 'Title', undefined],
    ['Title {key=value}', 'Title', undefined],
    // Not attribute groups: the title stays whole.
    ['The {x} set', 'The {x} set', undefined],
    ['f() {}', 'f() {}', undefined],
    ['Use {{ name }}', 'Use {{ name }}', undefined],
    ['{#only-attributes}', '{#only-attributes}', undefined],
    ['C# { #csharp }', 'C#', 'csharp'],
  ])('%s', (written, text, id) => {
    expect(headingAttributes(written)).toEqual(id === undefined ? { text } : { text, id });
  });
});

describe('heading anchors and the TOC', () => {
  const text = '# Note\n\n<!-- toc -->\n<!-- tocstop -->\n\n## Install { #setup }\n\n## Usage {.wide}\n';
  const note = noteFromText('/kb/notes/a.md', text, { root: '/kb' });

  it('the custom id is the anchor; the braces are not in the text', () => {
    expect(headingAnchors(note.tree).map((a) => [a.text, a.slug])).toEqual([['Note', 'note'], ['Install', 'setup'], ['Usage', 'usage']]);
  });

  it('the TOC links the custom id and leaves the braces out', () => {
    const updated = updateToc(note);
    expect(updated.text).toContain('- [Install](#setup)');
    expect(updated.text).toContain('- [Usage](#usage)');
  });
});
