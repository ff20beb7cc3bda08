/**
 * Which external URLs are never checked. Patterns come from `.kb/links-ignore`
 * (one a line, `#` starts a comment) and `--ignore PATTERN`:
 *   - `/regex/flags` is a regular expression tested against the whole URL;
 *   - anything else is a glob where `*` is any run of characters (slashes
 *     included) and `?` one character, matched against the whole URL or
 *     against its host alone (`*.internal.example`, `localhost`).
 */
import { readFileSync } from 'node:fs';

export type UrlMatcher = (url: string) => boolean;

export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += source.endsWith('.*') ? '' : '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'i');
}

export function compilePattern(pattern: string): UrlMatcher {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (regex) {
    const expression = new RegExp(regex[1]!, regex[2]);
    return (url) => expression.test(url);
  }
  const glob = globToRegExp(pattern);
  return (url) => {
    if (glob.test(url)) return true;
    try {
      return glob.test(new URL(url).host);
    } catch {
      return false;
    }
  };
}

/** One matcher for all patterns; throws on an invalid regular expression. */
export function compileIgnore(patterns: readonly string[]): UrlMatcher {
  const matchers = patterns.map(compilePattern);
  return (url) => matchers.some((matcher) => matcher(url));
}

/** Patterns of an ignore file; a missing file has none. */
export function readIgnoreFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return parseIgnoreList(text);
}

export function parseIgnoreList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
