/**
 * External links (opt-in), against a local server on 127.0.0.1: redirects,
 * 404, 429 + Retry-After, 5xx retries, timeouts, HEAD refused, a refused
 * connection, deduplication, the per-host limit, the cache (a rerun sends
 * nothing), the ignore list and fragments. Nothing leaves the machine.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VFileMessage } from 'vfile-message';
import { formatDiagnostic } from '../../src/diagnostics/index.ts';
import { noteFromText, type Note } from '../../src/markdown/parse.ts';
import { checkExternalLinks, runLinksCli, type ExternalOptions } from '../../src/links/index.ts';
import { closedPort, startServer, type TestServer } from './server.ts';

let server: TestServer;
let refused: number;
const root = mkdtempSync(path.join(tmpdir(), 'kb-links-external-'));

beforeAll(async () => {
  server = await startServer();
  refused = await closedPort();
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

function note(name: string, markdown: string): Note {
  return noteFromText(path.join(root, 'notes', name), markdown, { root });
}

const QUICK: Partial<ExternalOptions> = { timeoutMs: 400, retries: 1, backoffMs: 50, perHost: 4, ignoreFile: false };

/** Messages by URL (server origin left out), as `error|warning rule: reason`. */
function byUrl(messages: readonly VFileMessage[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const message of messages) {
    const reason = message.reason.replaceAll(server.origin, '');
    const url = /`([^`]+)`/.exec(reason)?.[1] ?? '?';
    (out[url] ??= []).push(`${message.fatal ? 'error' : 'warning'} ${message.ruleId}: ${reason}`);
  }
  return out;
}

const requestsTo = (p: string) => server.seen.filter((s) => s.path === p);

describe('external links against a local server', () => {
  const cacheFile = path.join(root, '.kb/link-cache.json');
  let notes: Note[];
  let first: Awaited<ReturnType<typeof checkExternalLinks>>;

  beforeAll(async () => {
    const o = server.origin;
    notes = [
      note(
        'a.md',
        [
          '# A',
          '',
          `- [ok](${o}/ok) and again [ok](${o}/ok#section)`,
          `- [moved](${o}/moved)`,
          `- [temporary](${o}/temporary)`,
          `- [gone](${o}/gone-after-redirect)`,
          `- [missing](${o}/missing)`,
          `- [busy](${o}/busy)`,
          `- [flaky](${o}/flaky)`,
          `- [slow](${o}/slow)`,
          `- [no head](${o}/no-head)`,
          `- [refused](http://127.0.0.1:${refused}/x)`,
          '- [mail](mailto:a@example.com) is never fetched',
          '',
        ].join('\n'),
      ),
      note('b.md', `# B\n\nThe same URL from another note: <${o}/ok>.\n`),
    ];
    first = await checkExternalLinks(notes, { root, cacheFile, ...QUICK });
  });

  it('reports each problem at its link: failures as errors, redirects as warnings with the final URL', () => {
    expect(byUrl(first.messages)).toEqual({
      '/moved': ['warning external-redirect: `/moved` redirected to `/ok` (301 permanent); link to the final URL'],
      '/temporary': ['warning external-redirect: `/temporary` redirected to `/ok` (302 temporary); the redirect is temporary, the link may stay'],
      '/gone-after-redirect': ['error external-broken: `/gone-after-redirect` answered 404 Not Found after redirects to `/missing`'],
      '/missing': ['error external-broken: `/missing` answered 404 Not Found'],
      '/slow': ['error external-timeout: `/slow` timed out: no answer within 400 ms (2 attempts)'],
      [`http://127.0.0.1:${refused}/x`]: [`error external-unreachable: \`http://127.0.0.1:${refused}/x\` could not be reached (ECONNREFUSED, 2 attempts)`],
    });
    const moved = first.messages.find((m) => m.reason.includes('/moved'))!;
    expect(formatDiagnostic(moved)).toMatch(/^notes\/a\.md:4:3: /);
  });

  it('waits as long as Retry-After says on 429 before asking again', () => {
    const busy = requestsTo('/busy');
    expect(busy.map((s) => s.method)).toEqual(['HEAD', 'HEAD']);
    // The server's own clocks: the retry came about 1 s after the 429.
    expect(busy[1]!.at - busy[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a 5xx after a backoff, and a timeout', () => {
    expect(requestsTo('/flaky').map((s) => s.method)).toEqual(['HEAD', 'HEAD']);
    expect(requestsTo('/slow')).toHaveLength(2);
  });

  it('falls back to GET when HEAD is refused', () => {
    expect(requestsTo('/no-head').map((s) => s.method)).toEqual(['HEAD', 'GET']);
  });

  it('checks each URL once, whatever its fragment and however many notes use it', () => {
    // Three links to /ok (two notes, one with a fragment): one request. The two others end redirects.
    expect(requestsTo('/ok')).toHaveLength(3);
    expect(first.urls).toBe(10);
  });

  it('identifies itself with a User-Agent', () => {
    expect([...new Set(server.seen.map((s) => s.userAgent))]).toEqual([expect.stringMatching(/^kb-doctest-links\/\S+ \(/)]);
  });

  it('answers a rerun from the cache file with zero requests, and the same messages', async () => {
    expect(JSON.parse(readFileSync(cacheFile, 'utf8'))).toMatchObject({ version: 1, entries: { [`${server.origin}/ok`]: { outcome: 'ok', status: 200 } } });
    const before = server.seen.length;
    const again = await checkExternalLinks(notes, { root, cacheFile, ...QUICK });
    expect(server.seen.length).toBe(before);
    expect(again.requests).toBe(0);
    expect(again.fromCache).toBe(10);
    expect(byUrl(again.messages)).toEqual(byUrl(first.messages));
  });

  it('asks again once the time-to-live has passed', async () => {
    const before = requestsTo('/ok').length;
    const later = Date.now() + 25 * 3600 * 1000;
    const okOnly = [note('c.md', `[ok](${server.origin}/ok)\n`)];
    await checkExternalLinks(okOnly, { root, cacheFile, ...QUICK, now: () => later });
    expect(requestsTo('/ok').length).toBe(before + 1);
  });
});

describe('external options', () => {
  it('keeps to the per-host limit', async () => {
    const links = Array.from({ length: 8 }, (_, i) => `[d${i}](${server.origin}/delay/${i})`).join(' ');
    const result = await checkExternalLinks([note('d.md', `${links}\n`)], { root, cacheFile: false, ...QUICK, perHost: 2 });
    expect(result.requests).toBe(8);
    expect(server.maxConcurrentDelays()).toBe(2);
  });

  it('skips ignored URLs: ignore file and patterns', async () => {
    mkdirSync(path.join(root, '.kb'), { recursive: true });
    writeFileSync(path.join(root, '.kb/links-ignore'), `# local pages\n${server.origin}/missing\n`);
    const before = server.seen.length;
    const result = await checkExternalLinks([note('i.md', `[a](${server.origin}/missing) [b](${server.origin}/nothing-here)\n`)], {
      root,
      cacheFile: false,
      ...QUICK,
      ignoreFile: undefined,
      ignore: ['/nothing-here$/'],
    });
    expect(result.ignored).toBe(2);
    expect(result.messages).toEqual([]);
    expect(server.seen.length).toBe(before);
  });

  it('checks fragments against the ids and names of the fetched HTML when asked', async () => {
    const o = server.origin;
    const markdown = `[a](${o}/page#install) [b](${o}/page#usage) [c](${o}/page#config) [d](${o}/page#instal)\n`;
    const result = await checkExternalLinks([note('f.md', markdown)], { root, cacheFile: false, ...QUICK, checkFragments: true });
    expect(result.messages.map(formatDiagnostic)).toEqual([
      `notes/f.md:1:${markdown.indexOf('[d]') + 1}: No anchor \`#instal\` in the HTML of \`${o}/page#instal\`; did you mean \`#install\`? [external-missing-fragment]`,
    ]);
    expect(requestsTo('/page').map((s) => s.method)).toEqual(['GET']);
  });
});

describe('links CLI with external checks', () => {
  it('checks web links with --external or KB_LINKS_EXTERNAL=1, not otherwise', async () => {
    const kb = path.join(root, 'cli');
    mkdirSync(path.join(kb, 'notes'), { recursive: true });
    writeFileSync(path.join(kb, 'notes/n.md'), `# N\n\n[moved](${server.origin}/moved) [missing](${server.origin}/missing)\n`);
    const run = async (args: string[], env: Record<string, string>) => {
      let stdout = '';
      let stderr = '';
      const code = await runLinksCli(args, { cwd: kb, env, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
      return { code, stdout: stdout.replaceAll(server.origin, ''), stderr };
    };
    const column = `[moved](${server.origin}/moved) `.length + 1;
    const expected = [
      'notes/n.md:3:1: `/moved` redirected to `/ok` (301 permanent); link to the final URL [external-redirect]',
      `notes/n.md:3:${column}: \`/missing\` answered 404 Not Found [external-broken]`,
    ];
    const offline = await run([], {});
    expect([offline.code, offline.stdout]).toEqual([0, '']);
    const flag = await run(['--external', '--timeout', '2s', '--cache', '.kb/c.json'], {});
    expect(flag.code).toBe(1);
    expect(flag.stdout.trimEnd().split('\n')).toEqual(expected);
    expect(flag.stderr).toMatch(/1 error, 1 warning in 1 note; external: 2 URLs, 0 from cache, 0 ignored, \d+ requests/);
    const env = await run(['--cache', '.kb/c.json'], { KB_LINKS_EXTERNAL: '1' });
    expect(env.stdout.trimEnd().split('\n')).toEqual(expected);
    expect(env.stderr).toMatch(/external: 2 URLs, 2 from cache, 0 ignored, 0 requests/);
    const ignored = await run(['--external', '--no-cache', '--ignore', `${server.origin}/*`], {});
    expect([ignored.code, ignored.stdout]).toEqual([0, '']);
  });
});
