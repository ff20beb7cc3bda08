/**
 * Fence info strings and annotation option lists share one small grammar:
 *   word            a flag (`skip`, `ellipsis`)
 *   key=value       a bare value (`timeout=2`, `raises=ValueError`)
 *   key="a value"   a quoted value, backslash escapes `\"` and `\\`
 * Tokens are separated by whitespace. Anything else is a positioned error.
 */

export interface RawOption {
  key: string;
  /** `true` for a bare flag. */
  value: string | true;
  /** Offset of the token in the parsed string, for columns in diagnostics. */
  offset: number;
}

export interface TokenizeResult {
  options: RawOption[];
  error?: { message: string; offset: number };
}

const KEY = /[A-Za-z_][\w.-]*/y;

export function tokenizeOptions(input: string): TokenizeResult {
  const options: RawOption[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    while (i < n && /\s/.test(input[i]!)) i++;
    if (i >= n) break;
    const start = i;
    KEY.lastIndex = i;
    const match = KEY.exec(input);
    if (!match) {
      return { options, error: { message: `unexpected \`${input[i]}\`; options are written \`key\`, \`key=value\` or \`key="value"\``, offset: i } };
    }
    const key = match[0];
    i = KEY.lastIndex;
    if (input[i] !== '=') {
      if (i < n && !/\s/.test(input[i]!)) {
        return { options, error: { message: `unexpected \`${input[i]}\` after \`${key}\`; options are written \`key\`, \`key=value\` or \`key="value"\``, offset: i } };
      }
      options.push({ key, value: true, offset: start });
      continue;
    }
    i++;
    if (input[i] === '"' || input[i] === "'") {
      const quote = input[i]!;
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const c = input[i]!;
        if (c === '\\' && (input[i + 1] === quote || input[i + 1] === '\\')) {
          value += input[i + 1];
          i += 2;
          continue;
        }
        if (c === quote) {
          closed = true;
          i++;
          break;
        }
        value += c;
        i++;
      }
      if (!closed) return { options, error: { message: `unterminated quoted value for \`${key}\`; close it with ${quote}`, offset: start } };
      if (i < n && !/\s/.test(input[i]!)) {
        return { options, error: { message: `unexpected \`${input[i]}\` after the quoted value of \`${key}\``, offset: i } };
      }
      options.push({ key, value, offset: start });
      continue;
    }
    let value = '';
    while (i < n && !/\s/.test(input[i]!)) value += input[i++];
    if (value === '') return { options, error: { message: `\`${key}=\` has no value; write \`${key}=VALUE\``, offset: start } };
    options.push({ key, value, offset: start });
  }
  return { options };
}
