/**
 * Every `kb` command's `--help` against the options its argument reader actually takes
 * (src/cli/args.ts): the help is parsed into option lines (flag, short flag, value placeholder,
 * "repeatable") and compared with the option specs, each documented flag is tried on the reader,
 * and no flag is named anywhere in the help that the command does not take. `kb --help` and the
 * README's table of the common flags are held to the same list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON_HELP, COMMON_OPTIONS, optionsInHelp, parseCommandArgs, UsageError, type OptionSpec, type OptionSpecs } from '../../src/cli/args.ts';
import { COMMANDS, runKb } from '../../src/cli/main.ts';
import { LINKS_OPTIONS, USAGE as LINKS_USAGE } from '../../src/links/cli/args.ts';
import { MUTATE_OPTIONS, USAGE as MUTATE_USAGE } from '../../src/mutate/cli.ts';
import { REPORT_OPTIONS, USAGE as REPORT_USAGE } from '../../src/report/cli.ts';
import { TOC_OPTIONS, USAGE as TOC_USAGE } from '../../src/toc/cli.ts';
import { UPDATE_OPTIONS, USAGE as UPDATE_USAGE } from '../../src/update/cli.ts';

const SPECS: Record<string, { usage: string; options: OptionSpecs }> = {
  toc: { usage: TOC_USAGE, options: TOC_OPTIONS },
  links: { usage: LINKS_USAGE, options: LINKS_OPTIONS },
  update: { usage: UPDATE_USAGE, options: UPDATE_OPTIONS },
  report: { usage: REPORT_USAGE, options: REPORT_OPTIONS },
  mutate: { usage: MUTATE_USAGE, options: MUTATE_OPTIONS },
};

/** Flags of other tools a help text may name (`kb report` explains vitest's sharding). */
const FOREIGN: Record<string, string[]> = { report: ['--shard', '--reporter'] };

/** What each value placeholder is called in "needs …" errors. */
const PLACEHOLDERS: Record<string, RegExp> = { DIR: /^a folder$/, FILE: /^a (?:[\w ]+ )?file$/, N: /^a number$/, DURATION: /^a duration$/, PATTERN: /^a pattern$/ };

interface Shape {
  short?: string;
  value: boolean;
  repeatable: boolean;
}

/** The flags the reader takes, as the help should show them. */
function declared(own: OptionSpecs): Record<string, Shape> {
  const shapes: Record<string, Shape> = {};
  for (const [name, spec] of Object.entries({ ...COMMON_OPTIONS, ...own }) as [string, OptionSpec][]) {
    shapes[`--${name}`] = { ...(spec.short ? { short: `-${spec.short}` } : {}), value: spec.type === 'string', repeatable: spec.multiple === true };
    if (spec.negatable) shapes[`--no-${name}`] = { value: false, repeatable: false };
  }
  return shapes;
}

/** The flags the help documents, one option line each. */
function documented(help: string): Record<string, Shape> {
  const shapes: Record<string, Shape> = {};
  for (const o of optionsInHelp(help)) {
    expect(shapes[o.flag], `${o.flag} is documented twice`).toBeUndefined();
    shapes[o.flag] = { ...(o.short ? { short: o.short } : {}), value: o.value !== undefined, repeatable: /\brepeatable\b/.test(o.description) };
  }
  return shapes;
}

function usageError(argv: string[], own: OptionSpecs): string {
  try {
    parseCommandArgs(argv, own);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'no error';
}

/** Every flag-like word of a text: `--name`, `-q` (not `cited-only`, `<!--`, `#L10-L20`). */
function flagsNamed(text: string): string[] {
  return [...new Set([...text.matchAll(/(?<![\w-])(--?[a-z][\w-]*)/g)].map((m) => m[1]!))].sort();
}

describe.each(Object.keys(SPECS))('kb %s --help', (command) => {
  const { usage, options } = SPECS[command]!;

  it('is the help the command prints', async () => {
    let stdout = '';
    expect(await runKb([command, '--help'], { cwd: process.cwd(), env: {}, stdout: (t) => (stdout += t), stderr: () => {} })).toBe(0);
    expect(stdout).toBe(`${usage}\n`);
  });

  it('has one option line per flag the reader takes: same short flag, a value exactly when it takes one, "repeatable" when it is', () => {
    expect(documented(usage)).toEqual(declared(options));
  });

  it('names each value as the reader\'s errors do (DIR: "needs a folder", N: "needs a number", …)', () => {
    for (const o of optionsInHelp(usage).filter((option) => option.value !== undefined)) {
      const spec = ({ ...COMMON_OPTIONS, ...options } as OptionSpecs)[o.flag.slice(2)]!;
      expect(PLACEHOLDERS[o.value!], `placeholder ${o.value} of ${o.flag}`).toBeDefined();
      expect(spec.value, `${o.flag} ${o.value}`).toMatch(PLACEHOLDERS[o.value!]!);
    }
  });

  it('every documented flag is read as documented: a value flag refuses to go without one, the others refuse one', () => {
    for (const o of optionsInHelp(usage)) {
      for (const flag of [o.flag, ...(o.short ? [o.short] : [])]) {
        if (o.value !== undefined) {
          expect(usageError([flag], options)).toMatch(new RegExp(`^${flag} needs `));
          expect(usageError([flag, 'x'], options)).toBe('no error');
        } else {
          expect(usageError([flag], options)).toBe('no error');
          if (flag.startsWith('--')) expect(usageError([`${flag}=x`], options)).toBe(`${flag} takes no value`);
        }
      }
    }
  });

  it('names no flag the command does not take, in its prose either', () => {
    const known = Object.entries(declared(options)).flatMap(([flag, shape]) => [flag, ...(shape.short ? [shape.short] : [])]);
    expect(flagsNamed(usage).filter((flag) => !known.includes(flag) && !(FOREIGN[command] ?? []).includes(flag))).toEqual([]);
  });

  it('starts with its usage line; every command takes paths', () => {
    expect(usage.split('\n')[0]).toBe(`Usage: kb ${command} [options] [paths...]`);
    expect(parseCommandArgs(['some/path.md'], options).positionals).toEqual(['some/path.md']);
  });
});

describe('the common flags', () => {
  const common = declared({});

  it('every command is checked here', () => {
    expect(Object.keys(SPECS).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('COMMON_HELP documents exactly them', () => {
    expect(documented(COMMON_HELP)).toEqual(common);
  });

  it('kb --help lists them in its sentence about every command, with their placeholders', async () => {
    let stdout = '';
    await runKb(['--help'], { cwd: process.cwd(), env: {}, stdout: (t) => (stdout += t), stderr: () => {} });
    const sentence = /^Every command takes (.+)\.$/m.exec(stdout)?.[1];
    expect(sentence).toBeDefined();
    const inSentence = flagsNamed(sentence!);
    expect(inSentence).toEqual(Object.entries(common).flatMap(([flag, shape]) => [flag, ...(shape.short ? [shape.short] : [])]).sort());
    for (const o of optionsInHelp(COMMON_HELP)) if (o.value) expect(sentence).toContain(`${o.flag} ${o.value}`);
    // Its own option lines: -h/--help and -v/--version, both understood.
    expect(optionsInHelp(stdout).map((o) => [o.short, o.flag])).toEqual([['-h', '--help'], ['-v', '--version']]);
    for (const argv of [['-h'], ['--help'], ['-v'], ['--version']]) {
      expect(await runKb(argv, { cwd: process.cwd(), env: {}, stdout: () => {}, stderr: () => {} })).toBe(0);
    }
  });

  it('the README\'s table of them ("The kb command") lists the same flags and placeholders', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## The kb command\n'), readme.indexOf('\n## ', readme.indexOf('\n## The kb command\n') + 1));
    const rows = [...section.matchAll(/^\| (`-.+?) \| /gm)].map((m) => m[1]!);
    const inTable = rows.flatMap((row) => [...row.matchAll(/`(--?[a-z][\w-]*)(?: ([A-Z]+))?`/g)].map((m) => (m[2] ? `${m[1]} ${m[2]}` : m[1]!)));
    const expected = optionsInHelp(COMMON_HELP).flatMap((o) => [...(o.short ? [o.short] : []), o.value ? `${o.flag} ${o.value}` : o.flag]);
    expect(inTable.sort()).toEqual(expected.sort());
  });
});
