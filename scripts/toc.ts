/** `npm run toc -- [--check] [paths...]`: see src/toc/cli.ts for the options. */
import { runTocCli } from '../src/toc/cli.ts';
import { loadCommandConfig } from '../src/notes/command-config.ts';

const notes = await loadCommandConfig('toc', process.argv.slice(2));
process.exitCode = notes === undefined ? 2 : runTocCli(process.argv.slice(2), {
  cwd: process.cwd(),
  notes,
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
});
