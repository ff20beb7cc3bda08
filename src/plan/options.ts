/**
 * The options an example, an output block or an annotation accepts. Unknown
 * options are errors that list the known ones: a typo must never be ignored.
 */
import type { RuleId } from '../diagnostics/index.ts';
import type { RawOption } from './info-string.ts';
import type { MatchMode, RunnerName } from './types.ts';
import { parseSize } from '../run/sandbox/limits.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

type Kind = 'flag' | 'string' | 'flag-or-string' | 'seconds' | 'integer' | 'list' | 'size';

export interface OptionSpec {
  kind: Kind;
  runners?: RunnerName[];
  help: string;
}

export const EXAMPLE_OPTIONS: Record<string, OptionSpec> = {
  name: { kind: 'string', help: 'label used as the test name' },
  skip: { kind: 'flag-or-string', help: 'do not run; `skip="reason"` shows the reason' },
  timeout: { kind: 'seconds', help: 'seconds before the example is killed (default 10)' },
  claim: { kind: 'list', help: 'ids of the claims this example is evidence for (comma-separated)' },
  session: { kind: 'string', help: 'run in order with the other blocks of this session, sharing globals and one event loop' },
  isolate: { kind: 'string', help: '`isolate=process` runs the example in a fresh interpreter' },
  requires: { kind: 'list', help: 'conditions such as `python>=3.12` or a module name; skipped when unmet' },
  raises: { kind: 'string', runners: ['python', 'js', 'ts'], help: 'the exception (or a subclass) that must end the block' },
  match: { kind: 'string', runners: ['python', 'js', 'ts'], help: 'regular expression the exception message must match (with `raises`)' },
  ellipsis: { kind: 'flag', runners: ['python', 'pycon', 'js', 'ts', 'sh', 'console'], help: '`...` in expected output matches any text' },
  'normalize-whitespace': { kind: 'flag', runners: ['python', 'pycon', 'js', 'ts', 'sh', 'console'], help: 'runs of whitespace compare equal' },
  'no-run': { kind: 'flag', runners: ['python', 'js', 'ts'], help: 'compile (Python) or parse (JavaScript, TypeScript) only, as rustdoc\'s `no_run`: the code must be valid, it is not run' },
  'no-output-check': { kind: 'flag', runners: ['pycon'], help: 'a `>>>` transcript whose prompts must run without an exception, their output not compared' },
  exit: { kind: 'integer', runners: ['sh'], help: 'expected exit status of a shell example' },
  network: { kind: 'flag', help: 'the example may use the network (off by default)' },
  memory: { kind: 'size', help: 'memory limit, e.g. `memory=4G` (default 1G)' },
  processes: { kind: 'size', help: 'processes alive at once, e.g. `processes=512` (default 256)' },
  filesize: { kind: 'size', help: 'largest file the example may write, e.g. `filesize=1G` (default 256M)' },
  disk: { kind: 'size', help: 'total size of the example\'s files, e.g. `disk=2G` (default 512M)' },
};

export const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  ellipsis: { kind: 'flag', help: '`...` matches any text' },
  'normalize-whitespace': { kind: 'flag', help: 'runs of whitespace compare equal' },
  unordered: { kind: 'flag', help: 'the same lines in any order' },
  regex: { kind: 'flag', help: 'each expected line is a regular expression matched against the whole actual line' },
  requires: { kind: 'list', help: 'this alternative applies only when the conditions hold, e.g. `requires=python>=3.12`' },
};

export interface OptionError {
  message: string;
  offset: number;
  ruleId: Extract<RuleId, 'unknown-option' | 'option-not-applicable' | 'duplicate-option' | 'invalid-option-value'>;
}

export type ParsedOptions = Record<string, string | true | number | string[]>;

/** Validate raw options against a schema; returns values and positioned errors. */
export function validateOptions(
  raw: RawOption[],
  schema: Record<string, OptionSpec>,
  runner: RunnerName | null,
  what: string,
): { values: ParsedOptions; errors: OptionError[] } {
  const values: ParsedOptions = {};
  const errors: OptionError[] = [];
  for (const option of raw) {
    const spec = schema[option.key];
    if (!spec) {
      errors.push({
        message: `unknown option \`${option.key}\` on ${what}; known options: ${Object.keys(schema).map((k) => `\`${k}\``).join(', ')}`,
        offset: option.offset,
        ruleId: 'unknown-option',
      });
      continue;
    }
    if (spec.runners && runner && !spec.runners.includes(runner)) {
      errors.push({ message: `option \`${option.key}\` does not apply to ${runner} examples (it applies to ${spec.runners.join(', ')})`, offset: option.offset, ruleId: 'option-not-applicable' });
      continue;
    }
    if (option.key in values) {
      errors.push({ message: `option \`${option.key}\` is given twice; keep one`, offset: option.offset, ruleId: 'duplicate-option' });
      continue;
    }
    const value = option.value;
    switch (spec.kind) {
      case 'flag':
        if (value !== true) errors.push({ message: `option \`${option.key}\` is a flag and takes no value; write \`${option.key}\``, offset: option.offset, ruleId: 'invalid-option-value' });
        else values[option.key] = true;
        break;
      case 'flag-or-string':
        values[option.key] = value;
        break;
      case 'string':
        if (value === true) errors.push({ message: `option \`${option.key}\` needs a value; write \`${option.key}=VALUE\``, offset: option.offset, ruleId: 'invalid-option-value' });
        else values[option.key] = value;
        break;
      case 'list':
        if (value === true) errors.push({ message: `option \`${option.key}\` needs a value; write \`${option.key}=A,B\``, offset: option.offset, ruleId: 'invalid-option-value' });
        else values[option.key] = value.split(',').map((v) => v.trim()).filter(Boolean);
        break;
      case 'seconds': {
        const seconds = value === true ? Number.NaN : Number(value);
        if (!Number.isFinite(seconds) || seconds <= 0) {
          errors.push({ message: `option \`${option.key}\` needs a positive number of seconds, e.g. \`${option.key}=2\``, offset: option.offset, ruleId: 'invalid-option-value' });
        } else values[option.key] = seconds;
        break;
      }
      case 'size': {
        const size = value === true ? undefined : parseSize(value);
        if (size === undefined) errors.push({ message: `option \`${option.key}\` needs a size such as \`${option.key}=512M\` or \`${option.key}=2G\``, offset: option.offset, ruleId: 'invalid-option-value' });
        else values[option.key] = size;
        break;
      }
      case 'integer': {
        const n = value === true ? Number.NaN : Number(value);
        if (!Number.isInteger(n) || n < 0 || n > 255) {
          errors.push({ message: `option \`${option.key}\` needs an integer from 0 to 255, e.g. \`${option.key}=1\``, offset: option.offset, ruleId: 'invalid-option-value' });
        } else values[option.key] = n;
        break;
      }
    }
  }
  return { values, errors };
}

export function matchModes(values: ParsedOptions): MatchMode[] {
  const modes: MatchMode[] = [];
  for (const mode of ['ellipsis', 'normalize-whitespace', 'unordered', 'regex'] as const) {
    if (values[mode] === true) modes.push(mode);
  }
  return modes;
}
