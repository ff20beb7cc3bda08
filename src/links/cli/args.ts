/** Command-line arguments of `kb links`. Pure: argv in, options or a usage error out (src/cli/args.ts reads them). */
import { COMMON_HELP, parseCommandArgs, UsageError, type OptionSpecs } from '../../cli/args.ts';

export { UsageError };

export interface CliOptions {
  paths: string[];
  help: boolean;
  fullParse: boolean;
  external: boolean | undefined;
  checkFragments: boolean;
  cacheFile: string | false | undefined;
  ttlMs: number | undefined;
  timeoutMs: number | undefined;
  ignore: string[];
  ignoreFile: string | false | undefined;
  perHost: number | undefined;
  concurrency: number | undefined;
  retries: number | undefined;
  maxRetryAfterMs: number | undefined;
  /** Print `{ notes, errors, warnings, problems: [{ file, line, column, ruleId, reason, severity }] }` on stdout instead of lines. */
  json: boolean;
  /** No summary line. */
  quiet: boolean;
  /** `--config FILE` and `--root DIR`, read by src/cli/command.ts. */
  config: string | undefined;
  root: string | undefined;
}

export const LINKS_OPTIONS = {
  external: { type: 'boolean', negatable: true },
  'check-fragments': { type: 'boolean' },
  cache: { type: 'string', value: 'a file' },
  'no-cache': { type: 'boolean' },
  ttl: { type: 'string', value: 'a duration' },
  timeout: { type: 'string', value: 'a duration' },
  ignore: { type: 'string', multiple: true, value: 'a pattern' },
  'ignore-file': { type: 'string', value: 'a file' },
  'per-host': { type: 'string', value: 'a number' },
  concurrency: { type: 'string', value: 'a number' },
  retries: { type: 'string', value: 'a number' },
  'max-retry-after': { type: 'string', value: 'a duration' },
  'full-parse': { type: 'boolean' },
} as const satisfies OptionSpecs;

export const USAGE = `Usage: kb links [options] [paths...]

Checks the links of the knowledge base's notes. Offline by default: local files,
folders, images, headings and HTML anchors, line anchors (#L10, #L10-L20),
reference-style links and definitions. Prints file:line:column: reason [rule-id];
exits 1 when there are errors, 0 when there are none, 2 on a usage error or an
internal error.

  paths                    notes or folders to check (default: every note of the configuration)
  --external               also check http(s) URLs (same as KB_LINKS_EXTERNAL=1, or
                           "links": {"external": true} in the configuration)
  --no-external            do not, whatever the configuration or KB_LINKS_EXTERNAL say
  --check-fragments        with --external: check #fragments against the fetched HTML's id/name
  --cache FILE             external results cache (default .kb/link-cache.json)
  --no-cache               neither read nor write the cache
  --ttl DURATION           how long cached results stay valid (default 24h)
  --timeout DURATION       per-request timeout (default 10s)
  --ignore PATTERN         skip URLs matching a glob (* any run, ? one char) or /regex/; repeatable
  --ignore-file FILE       more patterns, one a line (default .kb/links-ignore)
  --per-host N             simultaneous requests per host (default 2)
  --concurrency N          simultaneous requests in all (default 8)
  --retries N              retries on network errors, timeouts, 5xx and 429 (default 2)
  --max-retry-after DURATION  longest Retry-After honoured (default 60s)
  --full-parse             parse every note whole with the shared parser instead of the
                           fast scanner (slower; same results, kept for cross-checking)
${COMMON_HELP}

DURATION: a number with ms, s, m, h or d (500ms, 10s, 24h); a bare number is seconds.

Files (relative to the project root):
  .kb/link-cache.json      external results, each kept for --ttl; delete it to forget them
  .kb/links-ignore         URL patterns never fetched: one a line, # comments, a glob matched
                           against the whole URL or its host (https://example.com/private/*,
                           *.internal), or /regex/flags

Rules: missing-file, file-case-mismatch, missing-heading, heading-case-mismatch,
line-out-of-range, line-range-reversed, undefined-reference, unused-definition,
duplicate-definition, link-leaves-repository; with --external: external-broken,
external-unreachable, external-timeout, external-redirect-loop,
external-missing-fragment (errors), external-redirect, external-rate-limited (warnings).`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag}: not a duration: ${JSON.stringify(value)} (use e.g. 500ms, 10s, 24h)`);
  return Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!);
}

function parseCount(value: string, flag: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new UsageError(`${flag}: expected a whole number ≥ ${min}, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const { values: v, positionals } = parseCommandArgs(argv, LINKS_OPTIONS);
  const options: CliOptions = {
    paths: positionals,
    help: v.help === true,
    fullParse: v['full-parse'] === true,
    external: v.external,
    checkFragments: v['check-fragments'] === true,
    cacheFile: v['no-cache'] ? false : v.cache,
    ttlMs: v.ttl === undefined ? undefined : parseDuration(v.ttl, '--ttl'),
    timeoutMs: v.timeout === undefined ? undefined : parseDuration(v.timeout, '--timeout'),
    ignore: v.ignore,
    ignoreFile: v['ignore-file'],
    perHost: v['per-host'] === undefined ? undefined : parseCount(v['per-host'], '--per-host', 1),
    concurrency: v.concurrency === undefined ? undefined : parseCount(v.concurrency, '--concurrency', 1),
    retries: v.retries === undefined ? undefined : parseCount(v.retries, '--retries', 0),
    maxRetryAfterMs: v['max-retry-after'] === undefined ? undefined : parseDuration(v['max-retry-after'], '--max-retry-after'),
    json: v.json === true,
    quiet: v.quiet === true,
    config: v.config,
    root: v.root,
  };
  if (options.timeoutMs !== undefined && options.timeoutMs < 1) throw new UsageError('--timeout must be positive');
  return options;
}
