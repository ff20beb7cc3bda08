/**
 * `npm run links -- [options] [paths...]` — see `src/links/cli/args.ts` for
 * the options (`--help`). Offline by default; `--external` or
 * `KB_LINKS_EXTERNAL=1` also checks web links.
 */
import { runLinksCli } from '../src/links/cli/run.ts';
import { loadCommandConfig } from '../src/notes/command-config.ts';

const notes = await loadCommandConfig('links', []);
const code =
  notes === undefined
    ? 2
    : await runLinksCli(process.argv.slice(2), {
        cwd: process.cwd(),
        notes,
        env: process.env,
        stdout: (text) => process.stdout.write(text),
        stderr: (text) => process.stderr.write(text),
      });
process.exitCode = code;
