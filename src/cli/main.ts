/**
 * `kb <command>`: one command-line entry point for every tool of kb-doctest.
 * Each command's own logic (arguments, output, exit status) lives with its
 * stage (`src/toc/cli.ts`, `src/links/cli/`, `src/update/cli.ts`,
 * `src/report/cli.ts`); this module only dispatches, answers `--help` and
 * `--version`, and turns an escaped exception into one line and exit 2.
 */
import { readFileSync } from 'node:fs';
import { closest } from '../config/suggest.ts';
import { loadCommandConfig } from '../notes/command-config.ts';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

type Command = { summary: string; run: (args: string[], io: CliIo) => Promise<number> };

const line = (write: (text: string) => void) => (text: string) => write(text.endsWith('\n') ? text : `${text}\n`);

export const COMMANDS: Record<string, Command> = {
  toc: {
    summary: 'check or write the tables of contents (and the notes index)',
    run: async (args, io) => {
      const notes = await loadCommandConfig('toc', args, { cwd: io.cwd, env: io.env, stderr: io.stderr });
      if (!notes) return 2;
      return (await import('../toc/cli.ts')).runTocCli(args, { cwd: io.cwd, notes, stdout: line(io.stdout), stderr: line(io.stderr) });
    },
  },
  links: {
    summary: 'check links between notes (and, with --external, web links)',
    run: async (args, io) => {
      const notes = await loadCommandConfig('links', [], { cwd: io.cwd, env: io.env, stderr: io.stderr });
      if (!notes) return 2;
      return (await import('../links/cli/run.ts')).runLinksCli(args, { cwd: io.cwd, notes, env: io.env, stdout: io.stdout, stderr: io.stderr });
    },
  },
  update: {
    summary: 'run the examples and rewrite their output blocks in place',
    run: async (args, io) => (await import('../update/cli.ts')).runUpdateCli(args, { cwd: io.cwd, env: io.env, stdout: io.stdout, stderr: io.stderr }),
  },
  mutate: {
    summary: 'change each claim\'s expected values one at a time and list the changes its evidence misses',
    run: async (args, io) => (await import('../mutate/cli.ts')).runMutateCli(args, io),
  },
  report: {
    summary: 'run the notes and write the report (terminal, JSON, HTML)',
    run: async (args, io) => (await import('../report/cli.ts')).runReportCli(args, { cwd: io.cwd, env: io.env, stdout: line(io.stdout), stderr: line(io.stderr) }),
  },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
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
    'Exit status: 0 clean, 1 problems found, 2 bad usage or an internal error (KB_DEBUG=1 shows its stack).',
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
  try {
    return await entry.run(rest, io);
  } catch (error) {
    const debug = /^(?:1|true|yes|on)$/i.test(io.env['KB_DEBUG'] ?? '');
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`kb ${command}: internal error: ${message.split('\n')[0]}${debug ? `\n${(error as Error).stack ?? ''}` : ' (KB_DEBUG=1 shows the stack)'}\n`);
    return 2;
  }
}
