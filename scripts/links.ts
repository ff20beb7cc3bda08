/**
 * `npm run links -- [options] [paths...]` — see `src/links/cli/args.ts` for
 * the options (`--help`). Offline by default; `--external` or
 * `KB_LINKS_EXTERNAL=1` also checks web links.
 */
import { runMain } from '../src/cli-exit.ts';
import { runLinksCli } from '../src/links/cli/run.ts';
import { loadCommandConfig } from '../src/notes/command-config.ts';

const stderr = (text: string) => process.stderr.write(text);
process.exitCode = await runMain(
  'links',
  async () => {
    const notes = await loadCommandConfig('links', []);
    if (notes === undefined) return 2;
    return runLinksCli(process.argv.slice(2), {
      cwd: process.cwd(),
      notes,
      env: process.env,
      stdout: (text) => process.stdout.write(text),
      stderr,
    });
  },
  { env: process.env, stderr },
);
