/**
 * Optional comparison with remark-validate-links (run through unified-engine,
 * as remark-cli runs it) on the fixture knowledge base. It needs the peer
 * tools of the bench: `npm ci --prefix bench/links`; without them this file
 * is skipped, saying so.
 *
 * Where both tools check the same thing they must agree, link by link. The
 * differences are listed exactly: what remark-validate-links reports that is
 * not broken on GitHub (raw-HTML anchors, percent-encoded fragments, #top),
 * and what we catch that it does not (case-only mismatches, line anchors,
 * links leaving the repository, raw-HTML links, reference problems).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectedLines, fixtureRoot, parseProblem, repoRoot } from './helpers.ts';

const peers = path.join(repoRoot, 'bench/links/node_modules');
const installed = existsSync(path.join(peers, 'remark-validate-links/package.json')) && existsSync(path.join(peers, 'unified-engine/package.json'));
if (!installed) {
  console.warn('remark-compare: skipped — remark-validate-links is not installed; run `npm ci --prefix bench/links` to compare.');
}

interface Problem {
  at: string;
  ruleId: string;
  reason: string;
}

async function remarkValidateLinks(): Promise<Problem[]> {
  const load = async (file: string) => import(pathToFileURL(path.join(peers, file)).href);
  const { engine } = await load('unified-engine/index.js');
  const { remark } = await load('remark/index.js');
  const plugins = [
    [(await load('remark-gfm/index.js')).default],
    [(await load('remark-frontmatter/index.js')).default, ['yaml', 'toml']],
    // A GitHub repository, so root-relative links and GitHub's line anchors are understood.
    [(await load('remark-validate-links/index.js')).default, { repository: 'https://github.com/example/kb', root: fixtureRoot }],
  ];
  return new Promise((resolve, reject) => {
    const options = {
      processor: remark(),
      files: ['notes'],
      extensions: ['md'],
      cwd: fixtureRoot,
      plugins,
      silent: true,
      out: false,
      output: false,
      detectConfig: false,
      detectIgnore: false,
      streamError: new PassThrough(),
      streamOut: new PassThrough(),
    };
    engine(options, (error: unknown, _code: number, context: { files: Array<{ path: string; messages: Array<{ line: number; column: number; reason: string; ruleId: string }> }> }) => {
      if (error) return reject(error);
      resolve(context.files.flatMap((file) => file.messages.map((m) => ({ at: `${file.path}:${m.line}:${m.column}`, ruleId: m.ruleId, reason: m.reason }))));
    });
  });
}

describe.skipIf(!installed)('comparison with remark-validate-links (optional)', () => {
  it('agrees where both check the same thing, and the differences are exactly the known ones', async () => {
    const theirs = await remarkValidateLinks();
    const ours = expectedLines().map(parseProblem).map((p) => ({ at: `${p.file}:${p.line}:${p.column}`, ruleId: p.ruleId, reason: p.reason }));
    const ourPlaces = new Set(ours.map((p) => p.at));
    const theirPlaces = new Set(theirs.map((p) => p.at));

    const agreed = theirs.filter((p) => ourPlaces.has(p.at)).map((p) => p.at);
    const onlyTheirs = Object.fromEntries(theirs.filter((p) => !ourPlaces.has(p.at)).map((p) => [p.at, p.reason]));
    const onlyOurs = Object.fromEntries(ours.filter((p) => !theirPlaces.has(p.at)).map((p) => [p.at, p.ruleId]));

    // Both flag these links: missing files and headings, typos, the commented-out anchor.
    expect(agreed.sort()).toEqual(
      [
        'notes/code.md:18:38',
        'notes/index.md:12:3',
        'notes/index.md:14:3',
        'notes/index.md:22:3',
        'notes/index.md:25:3',
        'notes/index.md:29:3',
        'notes/index.md:30:3',
        'notes/index.md:31:3',
        'notes/index.md:35:3',
        'notes/index.md:42:3',
        'notes/index.md:51:3',
        'notes/index.md:52:3',
        'notes/index.md:56:3',
        'notes/index.md:57:3',
        'notes/refs.md:19:1',
      ].sort(),
    );
    // It flags these good links: it does not see raw-HTML anchors, does not decode
    // percent-encoded fragments, does not know #top, and reads `#page=2` on an image as a heading.
    expect(onlyTheirs).toEqual({
      'notes/index.md:8:3': 'Cannot find heading for `#custom-anchor`',
      'notes/index.md:9:3': 'Cannot find heading for `#old-name`',
      'notes/index.md:10:3': 'Cannot find heading for `#top`',
      'notes/index.md:26:3': 'Cannot find heading for `#setup-env` in `python/asyncio.md`',
      'notes/index.md:27:3': 'Cannot find heading for `#caf%c3%a9` in `python/asyncio.md`',
      'notes/index.md:65:3': 'Cannot find heading for `#page=2` in `python/images/diagram.png`',
    });
    // We catch these and it does not.
    expect(onlyOurs).toEqual({
      'notes/index.md:13:3': 'heading-case-mismatch',
      'notes/index.md:23:3': 'heading-case-mismatch',
      'notes/index.md:37:3': 'missing-heading',
      'notes/index.md:45:3': 'line-out-of-range',
      'notes/index.md:46:3': 'line-out-of-range',
      'notes/index.md:47:3': 'line-range-reversed',
      'notes/index.md:48:3': 'line-out-of-range',
      'notes/index.md:54:3': 'line-out-of-range',
      'notes/index.md:58:3': 'link-leaves-repository',
      'notes/index.md:58:47': 'link-leaves-repository',
      'notes/index.md:67:65': 'missing-heading',
      'notes/index.md:69:6': 'missing-file',
      'notes/refs.md:5:9': 'undefined-reference',
      'notes/refs.md:5:33': 'undefined-reference',
      'notes/refs.md:5:54': 'undefined-reference',
      'notes/refs.md:20:1': 'unused-definition',
      'notes/refs.md:21:1': 'duplicate-definition',
    });
    // Where both report, both name the same kind of problem (a wrong path, or a wrong fragment).
    for (const at of agreed) {
      const their = theirs.find((p) => p.at === at)!;
      const our = ours.find((p) => p.at === at)!;
      const ourKind = /file|leaves/.test(our.ruleId) ? 'file' : 'heading';
      expect(their.ruleId === 'missing-file' ? 'file' : 'heading', at).toBe(ourKind);
    }
    console.log(`remark-validate-links: agreed on ${agreed.length} broken links; it wrongly flagged ${Object.keys(onlyTheirs).length}; it missed ${Object.keys(onlyOurs).length} that we report.`);
  });
});
