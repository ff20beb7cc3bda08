/** The one argument reader of every `kb` command (src/cli/args.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError, type OptionSpecs } from '../../src/cli/args.ts';

const OWN = {
  check: { type: 'boolean' },
  index: { type: 'boolean', negatable: true },
  ignore: { type: 'string', multiple: true, value: 'a pattern' },
  out: { type: 'string', value: 'a folder' },
} as const satisfies OptionSpecs;

function error(argv: string[], options: { positionals?: boolean } = {}): string {
  try {
    parseCommandArgs(argv, OWN, options);
  } catch (e) {
    if (e instanceof UsageError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('parseCommandArgs', () => {
  it.each([
    [[], {}, []],
    [['a.md', '--check', 'docs'], { check: true }, ['a.md', 'docs']],
    [['--json', '-q', '--config', 'kb.json', '--root=kb'], { json: true, quiet: true, config: 'kb.json', root: 'kb' }, []],
    [['--no-index'], { index: false }, []],
    [['--index'], { index: true }, []],
    [['--ignore', 'a', '--ignore=b'], { ignore: ['a', 'b'] }, []],
    [['--out', '-'], { out: '-' }, []],
    [['--out=-x'], { out: '-x' }, []],
    [['--', '--check', '-q'], {}, ['--check', '-q']],
    [['-hq'], { help: true, quiet: true }, []],
  ])('%j', (argv, values, positionals) => {
    const parsed = parseCommandArgs(argv, OWN);
    expect(parsed.positionals).toEqual(positionals);
    expect(parsed.values).toEqual({ ignore: [], ...values });
  });

  it.each([
    [['--chek'], 'unknown option --chek (did you mean --check?)'],
    [['--jsn'], 'unknown option --jsn (did you mean --json?)'],
    [['--confg', 'x'], 'unknown option --confg (did you mean --config?)'],
    [['--no-idex'], 'unknown option --no-idex (did you mean --no-index?)'],
    [['--no-check'], 'unknown option --no-check (did you mean --check?)'],
    [['--frobnicate'], 'unknown option --frobnicate'],
    [['-x'], 'unknown option -x'],
    [['-qx'], 'unknown option -x'],
    [['--check=yes'], '--check takes no value'],
    [['--no-index=1'], '--no-index takes no value'],
    [['--out'], '--out needs a folder'],
    [['--out='], '--out needs a folder'],
    [['--out', '--check'], '--out needs a folder'],
    [['--config'], '--config needs a configuration file'],
    [['--ignore'], '--ignore needs a pattern'],
  ])('%j is bad usage: %s', (argv, message) => {
    expect(error(argv)).toBe(message);
  });

  it('a command without paths refuses one', () => {
    expect(error(['notes/a.md'], { positionals: false })).toBe('unexpected argument notes/a.md; this command takes no paths');
  });

  it('any argv either parses or is one usage error, never another exception', () => {
    const piece = fc.oneof(
      fc.constantFrom('--check', '--no-index', '--index', '--out', '--ignore', '--json', '-q', '-h', '--', '-', '--=', '---', '--no-', '-qz', '--out='),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (argv) => {
        try {
          const parsed = parseCommandArgs(argv, OWN);
          // Every value read is a declared option's.
          for (const key of Object.keys(parsed.values)) expect(['check', 'index', 'ignore', 'out', 'json', 'quiet', 'config', 'root', 'help']).toContain(key);
        } catch (e) {
          expect(e).toBeInstanceOf(UsageError);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: Number(process.env['KB_FUZZ_RUNS'] ?? 300) },
    );
  });
});
