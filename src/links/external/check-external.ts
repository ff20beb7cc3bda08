/**
 * External links, opt-in: every http(s) URL of the given notes is checked
 * once (deduplicated without its fragment), through the cache, the ignore
 * list and the per-host/global limiter; the result is reported at every link
 * that uses the URL. Redirects are warnings naming the final URL.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { report, warn, type RuleId } from '../../diagnostics/index.ts';
import type { Note } from '../../markdown/parse.ts';
import { collectLinks, type LinkOccurrence } from '../collect.ts';
import { closest } from '../suggest.ts';
import { parseLinkUrl, safeDecode } from '../url.ts';
import { LinkCache } from './cache.ts';
import { checkUrl, type FetchOptions, type UrlResult } from './fetch-url.ts';
import { compileIgnore, readIgnoreFile } from './ignore.ts';
import { Limiter } from './limiter.ts';

export interface ExternalOptions {
  /** Repository root; relative cache and ignore files are resolved against it. */
  root: string;
  /** Cache file (default `.kb/link-cache.json`); `false` keeps results in memory only. */
  cacheFile?: string | false;
  /** How long a cached result stays valid (default 24 h). */
  ttlMs?: number;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Simultaneous requests per host (default 2). */
  perHost?: number;
  /** Simultaneous requests in all (default 8). */
  concurrency?: number;
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** First backoff before a retry, doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Longest `Retry-After` honoured (default 60 s). */
  maxRetryAfterMs?: number;
  maxRedirects?: number;
  /** Extra ignore patterns (globs or `/regex/`), added to those of the ignore file. */
  ignore?: string[];
  /** Ignore file (default `.kb/links-ignore`); `false` for none. */
  ignoreFile?: string | false;
  /** Check `#fragment`s against the `id`/`name` anchors of the fetched HTML. */
  checkFragments?: boolean;
  userAgent?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface ExternalReport {
  messages: VFileMessage[];
  /** Distinct URLs seen (without fragment). */
  urls: number;
  ignored: number;
  fromCache: number;
  /** HTTP requests actually sent (retries and HEAD→GET included). */
  requests: number;
}

export const DEFAULT_CACHE_FILE = '.kb/link-cache.json';
export const DEFAULT_IGNORE_FILE = '.kb/links-ignore';
export const USER_AGENT = 'kb-doctest-links/0.1 (link checker of a documentation-as-tests knowledge base)';

/** Where messages go and the links to look at: a parsed note, or a note's summary with a vfile. */
export interface LinkSource {
  file: VFile;
  links: readonly LinkOccurrence[];
}

interface Use {
  file: VFile;
  link: LinkOccurrence;
  fragment: string | undefined;
}

function toSource(source: Note | LinkSource): LinkSource {
  return 'tree' in source ? { file: source.file, links: collectLinks(source).links } : source;
}

/** Web links of the notes, grouped by URL without fragment. */
export function gatherWebLinks(sources: readonly (Note | LinkSource)[]): Map<string, Use[]> {
  const byUrl = new Map<string, Use[]>();
  for (const { file, links } of sources.map(toSource)) {
    for (const link of links) {
      const parsed = parseLinkUrl(link.url);
      if (parsed.kind !== 'web') continue;
      let url: URL;
      try {
        url = new URL(parsed.url);
      } catch {
        continue;
      }
      const fragment = url.hash === '' ? undefined : safeDecode(url.hash.slice(1));
      url.hash = '';
      const key = url.href;
      let uses = byUrl.get(key);
      if (!uses) byUrl.set(key, (uses = []));
      uses.push({ file, link, fragment });
    }
  }
  return byUrl;
}

export async function checkExternalLinks(sources: readonly (Note | LinkSource)[], options: ExternalOptions): Promise<ExternalReport> {
  const now = options.now ?? Date.now;
  const resolve = (file: string): string => path.resolve(options.root, file);
  const cacheFile = options.cacheFile === false ? undefined : resolve(options.cacheFile ?? DEFAULT_CACHE_FILE);
  const cache = LinkCache.load(cacheFile, options.ttlMs ?? 24 * 3600 * 1000, now);
  const ignoreFile = options.ignoreFile === false ? undefined : resolve(options.ignoreFile ?? DEFAULT_IGNORE_FILE);
  const ignored = compileIgnore([...(ignoreFile ? readIgnoreFile(ignoreFile) : []), ...(options.ignore ?? [])]);
  const limiter = new Limiter(options.concurrency ?? 8, options.perHost ?? 2);
  const byUrl = gatherWebLinks(sources);
  const stats: ExternalReport = { messages: [], urls: byUrl.size, ignored: 0, fromCache: 0, requests: 0 };
  const fetchOptions: FetchOptions = {
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
    backoffMs: options.backoffMs ?? 500,
    maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
    maxRedirects: options.maxRedirects ?? 10,
    userAgent: options.userAgent ?? USER_AGENT,
    wantIds: false,
    now,
    onRequest: () => {
      stats.requests++;
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };

  const jobs: Array<Promise<void>> = [];
  for (const [url, uses] of byUrl) {
    if (ignored(url) || uses.every((use) => ignored(use.link.url))) {
      stats.ignored++;
      continue;
    }
    const wantIds = options.checkFragments === true && uses.some((use) => use.fragment !== undefined && use.fragment !== '');
    const cached = cache.get(url, wantIds);
    if (cached) {
      stats.fromCache++;
      stats.messages.push(...describe(cached, uses, wantIds));
      continue;
    }
    const host = new URL(url).host;
    jobs.push(
      limiter
        .run(host, () => checkUrl(url, { ...fetchOptions, wantIds }))
        .then((result) => {
          cache.set(url, result);
          stats.messages.push(...describe(result, uses, wantIds));
        }),
    );
  }
  await Promise.all(jobs);
  cache.save();
  return stats;
}

function statusOf(result: UrlResult): string {
  return `${result.status}${result.statusText ? ` ${result.statusText}` : ''}`;
}

function redirectChain(result: UrlResult): string {
  const kinds = result.redirects.map(({ status }) => `${status} ${status === 301 || status === 308 ? 'permanent' : 'temporary'}`);
  return kinds.join(', then ');
}

/** The messages one result gives at each use of the URL. */
function describe(result: UrlResult, uses: readonly Use[], checkFragments: boolean): VFileMessage[] {
  const messages: VFileMessage[] = [];
  const final = result.redirects.at(-1)?.to;
  for (const { file, link, fragment } of uses) {
    const place = { line: link.line, column: link.column };
    const url = `\`${link.url}\``;
    const error = (reason: string, ruleId: RuleId): void => {
      messages.push(report(file, reason, place, ruleId));
    };
    switch (result.outcome) {
      case 'unreachable':
        error(`${url} could not be reached (${result.error ?? 'network error'}, ${attempts(result)})`, 'external-unreachable');
        continue;
      case 'timeout':
        error(`${url} timed out: ${result.error ?? 'no answer'} (${attempts(result)})`, 'external-timeout');
        continue;
      case 'redirect-loop':
        error(`${url} redirects too many times (last: \`${final}\`)`, 'external-redirect-loop');
        continue;
      case 'broken':
        error(`${url} answered ${statusOf(result)}${final ? ` after redirects to \`${final}\`` : ''}`, 'external-broken');
        continue;
      case 'rate-limited':
        messages.push(
          warn(file, `${url} still answered ${statusOf(result)} after ${attempts(result)}; not counted as broken`, place, 'external-rate-limited'),
        );
        continue;
      case 'ok':
        break;
    }
    if (final) {
      const permanent = result.redirects.every(({ status }) => status === 301 || status === 308);
      const advice = permanent ? 'link to the final URL' : 'the redirect is temporary, the link may stay';
      messages.push(warn(file, `${url} redirected to \`${final}\` (${redirectChain(result)}); ${advice}`, place, 'external-redirect'));
    }
    if (checkFragments && fragment && result.ids) {
      const ids = result.ids;
      if (!ids.includes(fragment) && !ids.includes(`user-content-${fragment}`)) {
        const suggestion = closest(fragment.toLowerCase(), ids, (id) => id.toLowerCase());
        const hint = suggestion === undefined ? '' : `; did you mean \`#${suggestion}\`?`;
        error(`No anchor \`#${fragment}\` in the HTML of ${url}${hint}`, 'external-missing-fragment');
      }
    }
  }
  return messages;
}

function attempts(result: UrlResult): string {
  return `${result.attempts} attempt${result.attempts === 1 ? '' : 's'}`;
}

