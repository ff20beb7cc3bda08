/**
 * `kb <command>`: one command-line entry point for every tool of kb-doctest.
 * Each command's own logic (arguments, output, exit status) lives with its
 * stage (`src/toc/cli.ts`, `src/links/cli/`, `src/update/cli.ts`,
 * `src/report/cli.ts`); this module only dispatches, answers `--help` and
 * `--version`, and turns an escaped exception into one line and exit 2.
 */
import { readFileSync } from 'node:fs';
import { closest } from '../config/suggest.ts';
import { runMain } from '../cli-exit.ts';
import { COMMON_HELP, optionsInHelp } from './args.ts';
import type { CliIo } from './command.ts';

export type { CliIo };

type Command = { summary: string; run: (args: string[], io: CliIo) => Promise<number> };

export const COMMANDS: Record<string, Command> = {
  toc: {
    summary: 'check or write the tables of contents (and the notes index)',
    run: async (args, io) => (await import('../toc/cli.ts')).runTocCli(args, io),
  },
  links: {
    summary: 'check links between notes (and, with --external, web links)',
    run: async (args, io) => (await import('../links/cli/run.ts')).runLinksCli(args, io),
  },
  update: {
    summary: 'run the examples and rewrite their output blocks in place',
    run: async (args, io) => (await import('../update/cli.ts')).runUpdateCli(args, io),
  },
  mutate: {
    summary: 'change each claim\'s expected values one at a time and list the changes its evidence misses',
    run: async (args, io) => (await import('../mutate/cli.ts')).runMutateCli(args, io),
  },
  report: {
    summary: 'run the notes and write the report (terminal, JSON, HTML)',
    run: async (args, io) => (await import('../report/cli.ts')).runReportCli(args, io),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The common flags in a few words, from their help lines (so the two cannot drift): `--json, -q/--quiet, … and -h/--help`. */
function commonFlags(): string {
  const flags = optionsInHelp(COMMON_HELP).map((o) => `${o.short ? `${o.short}/` : ''}${o.flag}${o.value ? ` ${o.value}` : ''}`);
  return `${flags.slice(0, -1).join(', ')} and ${flags.at(-1)}`;
}

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: kb <command> [options] [paths...]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  -h, --help     show this help, or a command\'s own with `kb <command> --help`',
    '  -v, --version  print the version',
    '',
    `Every command takes paths, ${commonFlags()}.`,
    '',
    'Exit status: 0 clean, 1 problems found, 2 bad usage or an internal error (one line;',
    'KB_DEBUG=1 shows its stack, and so does "debug": true in the configuration once it is loaded).',
    '',
  ].join('\n');
}

export async function runKb(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    io.stdout(help());
    return command === undefined ? 2 : 0;
  }
  if (command === '-v' || command === '--version') {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    const guess = closest(command, Object.keys(COMMANDS), 1);
    io.stderr(`kb: unknown command "${command}"${guess ? ` (did you mean "${guess}"?)` : ''}; run \`kb --help\` for the list\n`);
    return 2;
  }
  // Whatever escapes a command is an internal error: one line and status 2 (the stack with KB_DEBUG=1,
  // or with "debug": true once the command has loaded its configuration).
  let debug: boolean | undefined;
  const watched: CliIo = {
    ...io,
    configLoaded: (config) => {
      debug = config.debug;
      io.configLoaded?.(config);
    },
  };
  return runMain(`kb ${command}`, () => entry.run(rest, watched), { ...io, debug: () => debug });
}
