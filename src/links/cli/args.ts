/** Command-line arguments of `kb links`. Pure: argv in, options or a usage error out. */

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
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: kb links [options] [paths...]

Checks the links of the knowledge base's notes. Offline by default: local files,
folders, images, headings and HTML anchors, line anchors (#L10, #L10-L20),
reference-style links and definitions. Prints file:line:column: reason [rule-id];
exits 1 when there are errors, 0 when there are none, 2 on a usage error or an
internal error.

  paths                    notes or folders to check (default: notes/**/*.md)
  --external               also check http(s) URLs (same as KB_LINKS_EXTERNAL=1)
  --no-external            do not, even when KB_LINKS_EXTERNAL=1
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
  --json                   print { notes, errors, warnings, problems: [{ file, line, column,
                           ruleId, reason, severity }] } instead of lines
  -q, --quiet              no summary line
  -h, --help               this help

DURATION: a number with ms, s, m, h or d (500ms, 10s, 24h); a bare number is seconds.

Files (relative to the repository root = the working directory):
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

const WITH_VALUE = new Set([
  '--cache',
  '--ttl',
  '--timeout',
  '--ignore',
  '--ignore-file',
  '--per-host',
  '--concurrency',
  '--retries',
  '--max-retry-after',
]);

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    paths: [],
    help: false,
    fullParse: false,
    external: undefined,
    checkFragments: false,
    cacheFile: undefined,
    ttlMs: undefined,
    timeoutMs: undefined,
    ignore: [],
    ignoreFile: undefined,
    perHost: undefined,
    concurrency: undefined,
    retries: undefined,
    maxRetryAfterMs: undefined,
    json: false,
    quiet: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      options.paths.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.paths.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') && equals !== -1 ? arg.slice(0, equals) : arg;
    let value: string | undefined;
    if (WITH_VALUE.has(flag)) {
      if (equals !== -1 && arg.startsWith('--')) value = arg.slice(equals + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
    } else if (flag !== arg) {
      throw new UsageError(`${flag} takes no value`);
    }
    switch (flag) {
      case '-h':
      case '--help':
        options.help = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '-q':
      case '--quiet':
        options.quiet = true;
        break;
      case '--full-parse':
        options.fullParse = true;
        break;
      case '--external':
        options.external = true;
        break;
      case '--no-external':
        options.external = false;
        break;
      case '--check-fragments':
        options.checkFragments = true;
        break;
      case '--no-cache':
        options.cacheFile = false;
        break;
      case '--cache':
        options.cacheFile = value!;
        break;
      case '--ttl':
        options.ttlMs = parseDuration(value!, flag);
        break;
      case '--timeout':
        options.timeoutMs = parseDuration(value!, flag);
        if (options.timeoutMs < 1) throw new UsageError('--timeout must be positive');
        break;
      case '--ignore':
        options.ignore.push(value!);
        break;
      case '--ignore-file':
        options.ignoreFile = value!;
        break;
      case '--per-host':
        options.perHost = parseCount(value!, flag, 1);
        break;
      case '--concurrency':
        options.concurrency = parseCount(value!, flag, 1);
        break;
      case '--retries':
        options.retries = parseCount(value!, flag, 0);
        break;
      case '--max-retry-after':
        options.maxRetryAfterMs = parseDuration(value!, flag);
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  return options;
}

/** `KB_LINKS_EXTERNAL=1` (or true/yes/on) turns external checking on. */
export function externalFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return /^(?:1|true|yes|on)$/i.test(env.KB_LINKS_EXTERNAL ?? '');
}
