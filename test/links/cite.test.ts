/**
 * A claim's `cite=URL` is a link: web citations are checked with --external
 * (a dead citation is evidence that no longer exists).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { buildLinkIndex, checkExternalLinks, checkLinks } from '../../src/links/index.ts';
import { noteFromText } from '../../src/markdown/parse.ts';
import { startServer, type TestServer } from './server.ts';

let server: TestServer;
const root = mkdtempSync(path.join(tmpdir(), 'kb-links-cite-'));

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('cite= URLs of claims', () => {
  it('are checked with --external, at the cite option', async () => {
    const o = server.origin;
    const note = noteFromText(
      path.join(root, 'notes/a.md'),
      `# A\n\nTasks are cheap. <!-- claim cheap cite=${o}/ok cite="${o}/missing" -->\n\n<!-- not a claim cite=${o}/missing -->\n`,
      { root },
    );
    const result = await checkExternalLinks([note], { root, cacheFile: false, ignoreFile: false, retries: 0 });
    expect(result.messages.map((m) => formatDiagnostic(m).replaceAll(o, ''))).toEqual([
      // Column of the second `cite=`: after `Tasks are cheap. <!-- claim cheap cite=<origin>/ok `.
      `notes/a.md:3:${'Tasks are cheap. <!-- claim cheap cite='.length + o.length + '/ok '.length + 1}: \`/missing\` answered 404 Not Found [external-broken]`,
    ]);
    expect(result.urls).toBe(2);
  });

  it('a citation that is not a web URL is left to the plan (which reports it), not reported twice', () => {
    const note = noteFromText(path.join(root, 'notes/b.md'), '# B\n\nA fact. <!-- claim fact cite=../sources/gone.md -->\n', { root });
    const index = buildLinkIndex({ root, notes: ['notes/b.md'] });
    expect(checkLinks(note, index).map(formatDiagnostic)).toEqual([]);
  });
});
