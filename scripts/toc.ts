/** `npm run toc -- [--check] [paths...]`: see src/toc/cli.ts for the options. */
import { runMain } from '../src/cli-exit.ts';
import { loadCommandConfig } from '../src/notes/command-config.ts';
import { runTocCli } from '../src/toc/cli.ts';

process.exitCode = await runMain(
  'toc',
  async () => {
    const notes = await loadCommandConfig('toc', process.argv.slice(2));
    if (notes === undefined) return 2;
    return runTocCli(process.argv.slice(2), {
      cwd: process.cwd(),
      notes,
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    });
  },
  { env: process.env, stderr: (text) => process.stderr.write(text) },
);
