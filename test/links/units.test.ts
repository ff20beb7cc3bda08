/** The small pure pieces: URLs, fragments, HTML anchors, lines, suggestions, ignore patterns. */
import { describe, expect, it } from 'vitest';
import { htmlAnchors, htmlLinks } from '../../src/links/html.ts';
import { countLines, lineStarts, pointAt } from '../../src/links/position.ts';
import { closest, closestPath } from '../../src/links/suggest.ts';
import { isPlainView, parseLineFragment, parseLinkUrl } from '../../src/links/url.ts';
import { compileIgnore, globToRegExp, parseIgnoreList } from '../../src/links/external/ignore.ts';
import { parseRetryAfter } from '../../src/links/external/fetch-url.ts';
import { Limiter } from '../../src/links/external/limiter.ts';

describe('parseLinkUrl', () => {
  it('classifies links', () => {
    expect(parseLinkUrl('')).toEqual({ kind: 'empty' });
    expect(parseLinkUrl('#caf%C3%A9')).toEqual({ kind: 'fragment', fragment: 'café', rawFragment: 'caf%C3%A9' });
    expect(parseLinkUrl('https://example.com/x')).toEqual({ kind: 'web', url: 'https://example.com/x' });
    expect(parseLinkUrl('//cdn.example.com/x')).toEqual({ kind: 'web', url: 'https://cdn.example.com/x' });
    expect(parseLinkUrl('mailto:a@b.c')).toEqual({ kind: 'other-scheme', scheme: 'mailto' });
    expect(parseLinkUrl('my%20file.md?plain=1#L3')).toEqual({
      kind: 'path',
      path: 'my file.md',
      rawPath: 'my%20file.md',
      rootRelative: false,
      query: 'plain=1',
      fragment: 'L3',
      rawFragment: 'L3',
    });
    expect(parseLinkUrl('/notes/x.md')).toMatchObject({ kind: 'path', rootRelative: true, path: '/notes/x.md', fragment: undefined });
  });

  it('leaves a malformed escape as written', () => {
    expect(parseLinkUrl('#100%')).toMatchObject({ fragment: '100%' });
  });
});

describe('line fragments', () => {
  it('reads GitHub line anchors', () => {
    expect(parseLineFragment('L10')).toEqual({ start: 10, end: undefined });
    expect(parseLineFragment('L10-L20')).toEqual({ start: 10, end: 20 });
    expect(parseLineFragment('L3C2-L4C9')).toEqual({ start: 3, end: 4 });
    expect(parseLineFragment('l10')).toBeUndefined();
    expect(parseLineFragment('L10-20')).toBeUndefined();
    expect(parseLineFragment('tasks')).toBeUndefined();
  });

  it('knows the source view', () => {
    expect(isPlainView('plain=1')).toBe(true);
    expect(isPlainView('plain=0')).toBe(false);
    expect(isPlainView(undefined)).toBe(false);
  });

  it('counts lines as an editor does', () => {
    expect(countLines('')).toBe(0);
    expect(countLines('a')).toBe(1);
    expect(countLines('a\n')).toBe(1);
    expect(countLines('a\nb')).toBe(2);
    expect(countLines('a\n\n')).toBe(2);
    expect(pointAt(lineStarts('ab\ncd\n'), 4)).toEqual({ line: 2, column: 2, offset: 4 });
  });
});

describe('HTML anchors and links', () => {
  it('finds id and name with offsets, ignoring comments', () => {
    const html = '<a id="one"></a><!-- <a id="hidden"> --><a name=\'two\'><span id=three>';
    expect(htmlAnchors(html).map((a) => [a.value, a.offset])).toEqual([
      ['one', 3],
      ['two', 43],
      ['three', 60],
    ]);
  });

  it('decodes entities and skips meta name', () => {
    expect(htmlAnchors('<a id="a&amp;b"><meta name="viewport">').map((a) => a.value)).toEqual(['a&b']);
  });

  it('finds href on a and src on img', () => {
    expect(htmlLinks('<a href="x.md#y">x</a> <img src="i.png"> <link href="s.css"> <script src="s.js">').map((a) => a.value)).toEqual(['x.md#y', 'i.png']);
  });
});

describe('suggestions', () => {
  it('picks the closest candidate within the threshold', () => {
    expect(closest('taks', ['tasks', 'other'], (x) => x)).toBe('tasks');
    expect(closest('zzzz', ['tasks'], (x) => x)).toBeUndefined();
  });

  it('suggests close paths, or the same name moved within the same top folder', () => {
    const paths = ['notes/python/how-to/async-await.py', 'notes/python/asyncio.md', 'notes/rust/deep/asyncio.md', 'test/fixtures/x/asyncio2.md'];
    expect(closestPath('notes/python/how-to/async_await.py', paths)).toBe('notes/python/how-to/async-await.py');
    expect(closestPath('notes/old/place/asyncio.md', paths)).toBe('notes/python/asyncio.md');
    expect(closestPath('notes/async-await-moved.py', paths)).toBeUndefined();
  });
});

describe('ignore patterns', () => {
  it('globs match the whole URL or its host; /regex/ is a regular expression', () => {
    const ignored = compileIgnore(['https://example.com/private/*', '*.internal', '/^http:\\/\\/localhost(?::\\d+)?\\//']);
    expect(ignored('https://example.com/private/a/b')).toBe(true);
    expect(ignored('https://example.com/public')).toBe(false);
    expect(ignored('https://wiki.internal/page')).toBe(true);
    expect(ignored('http://localhost:8080/x')).toBe(true);
    expect(ignored('https://internal.example.com/')).toBe(false);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
  });

  it('reads an ignore file: one pattern a line, # comments', () => {
    expect(parseIgnoreList('# comment\n\nhttps://a.example/*\n  /x/i  \n')).toEqual(['https://a.example/*', '/x/i']);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('Limiter', () => {
  it('never runs more than the per-host and global limits at once', async () => {
    const limiter = new Limiter(3, 2);
    const active = new Map<string, number>();
    let activeAll = 0;
    let maxAll = 0;
    const maxPerHost = new Map<string, number>();
    const task = (host: string) => async () => {
      active.set(host, (active.get(host) ?? 0) + 1);
      activeAll++;
      maxAll = Math.max(maxAll, activeAll);
      maxPerHost.set(host, Math.max(maxPerHost.get(host) ?? 0, active.get(host)!));
      await new Promise((resolve) => setTimeout(resolve, 5));
      active.set(host, active.get(host)! - 1);
      activeAll--;
    };
    await Promise.all(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'].map((host) => limiter.run(host, task(host))));
    expect(maxAll).toBe(3);
    expect(Math.max(...maxPerHost.values())).toBe(2);
  });
});
