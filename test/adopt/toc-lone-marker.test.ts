/**
 * markdown-toc's convention: a lone `<!-- toc -->` (no `<!-- tocstop -->`
 * anywhere) is where the TOC goes; writing adds the list and the closing marker.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { checkToc, updateToc } from '../../src/toc/toc.ts';

const root = '/repo';
const note = (text: string) => noteFromText(path.join(root, 'notes/a.md'), text, { root });

describe('a lone <!-- toc -->', () => {
  it('is an insertion point: check says stale, write inserts the list and <!-- tocstop -->, a second write changes nothing', () => {
    const text = '# T\n\nIntro.\n\n<!-- toc -->\n\n## A\n\n### B\n\n## C\n';
    const check = checkToc(note(text));
    expect(check.status).toBe('stale');
    expect(check.diagnostics.map((d) => d.ruleId)).not.toContain('toc-marker-unclosed');
    const written = updateToc(note(text));
    expect(written.text).toBe('# T\n\nIntro.\n\n<!-- toc -->\n\n- [A](#a)\n  - [B](#b)\n- [C](#c)\n\n<!-- tocstop -->\n\n## A\n\n### B\n\n## C\n');
    expect(checkToc(note(written.text!)).status).toBe('current');
    expect(updateToc(note(written.text!))).toMatchObject({ changed: false });
  });

  it('keeps CRLF and a marker option', () => {
    const text = '# T\r\n\r\n<!-- toc max-depth=2 -->\r\n\r\n## A\r\n\r\n### B\r\n';
    expect(updateToc(note(text)).text).toBe('# T\r\n\r\n<!-- toc max-depth=2 -->\r\n\r\n- [A](#a)\r\n\r\n<!-- tocstop -->\r\n\r\n## A\r\n\r\n### B\r\n');
  });

  it.each([
    ['two lone markers', '# T\n\n<!-- toc -->\n\n<!-- toc -->\n\n## A\n', 'toc-marker-unclosed'],
    ['a lone marker besides a TOC under a Contents heading', '## Contents\n\n- [A](#a)\n\n<!-- toc -->\n\n## A\n', 'toc-region-duplicate'],
    ['a lone marker inside a list', '# T\n\n- item\n\n  <!-- toc -->\n\n## A\n', 'toc-unsupported'],
  ])('%s stays an error and the note is untouched', (_, text, rule) => {
    const check = checkToc(note(text));
    expect(check.diagnostics.map(formatDiagnostic).join('\n')).toContain(`[${rule}]`);
    expect(updateToc(note(text))).toMatchObject({ changed: false });
  });

  it('a lone <!-- index --> is still an error (this tool\'s own marker has no such convention)', async () => {
    const { INDEX_MARKERS, findMarkerPairs } = await import('../../src/toc/markers.ts');
    const scan = findMarkerPairs(note('<!-- index -->\n').tree, INDEX_MARKERS);
    expect(scan.problems.map((p) => p.ruleId)).toEqual(['index-marker-unclosed']);
  });
});
