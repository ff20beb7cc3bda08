/** `npm run toc -- [--check] [paths...]`: see src/toc/cli.ts for the options. */
import { runTocCli } from '../src/toc/cli.ts';

process.exitCode = runTocCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (text) => process.stderr.write(`${text}\n`),
});
