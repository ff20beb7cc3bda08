/** Rendering one note for the page: which text a claim highlights, what happens to raw HTML and links. */
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { buildNote } from '../../src/report/build.ts';
import type { NoteAnchor } from '../../src/report/html/links.ts';
import { renderNote } from '../../src/report/html/render-note.ts';
import { createHighlight, type Highlight } from '../../src/report/html/highlight.ts';
import type { ClaimReport, ClaimStatus, ExampleReport, NoteReport } from '../../src/report/schema.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { extractPlan } from '../../src/plan/extract.ts';

const fence = '```';

function claim(id: string, line: number, status: ClaimStatus, extra: Partial<ClaimReport> = {}): ClaimReport {
  return { id, text: '', line, status, test: status === 'failing' || status === 'no-evidence' ? 'failed' : 'passed', evidence: [], ...extra };
}

function render(text: string, claims: ClaimReport[], examples: ExampleReport[] = [], path = 'notes/a.md', extra: Partial<NoteReport> = {}, highlight?: Highlight): string {
  const note = { ...buildNote(extractPlan(noteFromText(`/kb/${path}`, text, { root: '/kb' }), { root: '/kb' }), undefined), claims, examples, ...extra } as NoteReport;
  const anchors = new Map<string, NoteAnchor>([
    [path, { id: 'note-0', prefix: 'n0-' }],
    ['notes/other.md', { id: 'note-1', prefix: 'n1-' }],
  ]);
  return toHtml(renderNote({ text, note, anchors, pageToRoot: '../..', ...(highlight ? { highlight } : {}) }));
}

describe('claim highlights', () => {
  it('an inline claim covers the text back to the previous claim annotation', () => {
    const html = render('First. <!-- claim a cite=https://x.y --> Second *part*. <!-- claim b -->\n', [claim('a', 1, 'cited'), claim('b', 1, 'no-evidence')]);
    expect(html).toMatch(/<mark class="claim claim-cited claim-inline" data-status="cited" data-claim-id="a" id="n0-claim-a">First\. <span class="badge status-cited"[^>]*>❝ cited<\/span><\/mark>/);
    expect(html).toMatch(/<mark [^>]*data-status="no-evidence" data-claim-id="b" id="n0-claim-b"> Second <em>part<\/em>\. <span[^>]*>\? no evidence<\/span><\/mark>/);
    // The evidence follows the paragraph: a <details> cannot sit inside a <p>.
    expect(html).toMatch(/<\/p>\n?<details class="evidence status-cited" data-claim-id="a" data-status="cited">/);
    expect(html).not.toContain('<!--');
  });

  it('a block claim covers the previous block and shows its hidden check and failure output', () => {
    const text = 'Intro.\n\n- one\n- two\n\n<!-- claim list\nassert False, "nope"\n-->\n';
    const html = render(text, [claim('list', 6, 'failing', { evidence: [{ kind: 'check', line: 7, status: 'failed', message: 'AssertionError: nope <b>' }] })]);
    expect(html).toMatch(/<div class="claim claim-failing claim-block" data-status="failing" data-claim-id="list" id="n0-claim-list"><span class="badge[^>]*>✗ failing<\/span><ul>/);
    expect(html).toContain('<p>Intro.</p>');
    expect(html).toContain('<pre class="check-code"><code class="language-python">assert False, "nope"</code></pre>');
    expect(html).toContain('<pre class="failure-output">AssertionError: nope &#x3C;b></pre>');
  });

  it('an annotation without a claim in the report (a malformed one) is dropped, not highlighted', () => {
    const html = render('Text. <!-- claim -->\n', []);
    expect(html).toBe('<p>Text. </p>');
  });
});

describe('examples', () => {
  it('are framed with their status, their output blocks and failure output', () => {
    const text = `${fence}python\nprint(1)\n${fence}\n\n${fence}output\n2\n${fence}\n`;
    const html = render(text, [], [{ id: 'example-1', name: 'example at line 1', line: 1, lang: 'python', status: 'failed', message: 'output differs' }]);
    expect(html).toMatch(/^<div class="example status-failed" data-status="failed" data-example-id="example-1" id="n0-example-1"><div class="example-head"><span class="badge status-failed">✗ failed<\/span>/);
    expect(html).toMatch(/<code class="language-python">print\(1\)\n<\/code><\/pre>\n?<pre><code class="language-output">2\n<\/code><\/pre>\n?<details class="example-output status-failed"><summary>Failure output<\/summary><pre class="failure-output">output differs<\/pre><\/details><\/div>$/);
  });
});

describe('hostile markup', () => {
  it('raw HTML is shown as text; javascript: URLs and images go', () => {
    const text = [
      '<img src=x onerror="alert(1)">',
      '',
      '<script>alert(1)</script>',
      '',
      'Inline <b onclick="alert(1)">b</b> [x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) ![pic](https://example.com/p.png)',
      '',
      '[ref]: javascript:alert(1)',
      '',
      'See [ref].',
    ].join('\n');
    const html = render(text, []);
    expect(html).toContain('<pre><code class="raw-html">&#x3C;img src=x onerror="alert(1)">\n</code></pre>');
    expect(html).toContain('<pre><code class="raw-html">&#x3C;script>alert(1)&#x3C;/script>\n</code></pre>');
    expect(html).toContain('<code class="raw-html">&#x3C;b onclick="alert(1)"></code>b');
    expect(html).not.toMatch(/<(img|script)\b/i);
    expect(html.toLowerCase()).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.com/p.png">image: pic</a>');
    expect(html).toMatch(/<a>x<\/a> <a>y<\/a>/);
    expect(html).toContain('See <a>ref</a>.');
  });
});

describe('links', () => {
  it('point inside the page for headings and notes, and from the page folder otherwise', () => {
    const text = '# A\n\n## Part one\n\n[here](#part-one) [other](other.md) [there](other.md#intro) [script](../scripts/x.py) [web](https://example.com/a)\n';
    const html = render(text, []);
    expect(html).toContain('<h2 id="n0-part-one">Part one</h2>');
    expect(html).toContain('<a href="#n0-part-one">here</a>');
    expect(html).toContain('<a href="#note-1">other</a>');
    expect(html).toContain('<a href="#n1-intro">there</a>');
    expect(html).toContain('<a href="../../scripts/x.py">script</a>');
    expect(html).toContain('<a href="https://example.com/a">web</a>');
  });
});

describe('what decides how an example runs', () => {
  it('shows its hidden setup (collapsed, with its line), its requires, session and skip reason', () => {
    const text = `<!-- setup\nx = 1\n-->\n\n${fence}python requires=python>=99 session=s\nprint(x)\n${fence}\n`;
    const example: ExampleReport = {
      id: 'example-5', name: 'example at line 5', line: 5, lang: 'python', status: 'skipped',
      message: 'skipped: requires python>=99 (running 3.11.7)', setup: [{ line: 2, code: 'x = 1' }], requires: ['python>=99'], session: 's',
    };
    const html = render(text, [], [example]);
    expect(html).toContain('<span class="condition">requires <code>python>=99</code></span>');
    expect(html).toContain('<span class="condition">session <code>s</code></span>');
    expect(html).toMatch(/<details class="hidden-setup"><summary>Hidden setup \(line 2\)<\/summary><p class="hint">Runs before the example, from line 2:<\/p><pre><code class="language-python">x = 1<\/code><\/pre><\/details><pre><code class="language-python">print\(x\)/);
    // The skip reason is in plain sight, not behind a disclosure.
    expect(html).toContain('<p class="hint why">skipped: requires python>=99 (running 3.11.7)</p>');
  });
});

describe('broken links', () => {
  it('are marked where they are, with the reason', () => {
    const text = 'See [gone](missing.md) and [fine](https://example.com).\n';
    const problem = { line: 1, column: 5, reason: 'No file `missing.md`', ruleId: 'missing-file' };
    const html = render(text, [], [], 'notes/a.md', { other: [{ kind: 'structural', name: 'links', line: 1, status: 'failed', problems: [problem] }] });
    expect(html).toContain('<span class="broken-link" title="No file &#x60;missing.md&#x60;"><a href="../../notes/missing.md">gone</a><span class="badge status-failed">✗ No file `missing.md`</span></span>');
    expect(html).toContain('<a href="https://example.com">fine</a>.');
  });
});

describe('syntax highlighting', () => {
  it('colours Python, pycon, shell, JavaScript and TypeScript at build time, and leaves output blocks alone', async () => {
    const langs = ['python', 'pycon', 'sh', 'js', 'ts'];
    const highlight = await createHighlight([...langs, 'output']);
    const code: Record<string, string> = { python: 'def f(): return 1', pycon: '>>> import os', sh: 'if true; then echo "$HOME"; fi', js: 'const a = 1;', ts: 'let n: number = 1;' };
    for (const lang of langs) {
      const html = render(`${fence}${lang}\n${code[lang]}\n${fence}\n\n${fence}output\nimport def const\n${fence}\n`, [], [], 'notes/a.md', {}, highlight);
      expect(html, lang).toMatch(new RegExp(`<code class="language-${lang}">[^]*<span class="pl-k">`));
      expect(html, lang).toContain('<code class="language-output">import def const\n</code>');
    }
  });

  it('a highlighter for no known language loads nothing and changes nothing', async () => {
    const highlight = await createHighlight(['rust', 'output']);
    expect(render(`${fence}rust\nfn main() {}\n${fence}\n`, [], [], 'notes/a.md', {}, highlight)).toBe('<pre><code class="language-rust">fn main() {}\n</code></pre>');
  });
});
