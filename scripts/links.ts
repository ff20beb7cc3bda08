/**
 * `npm run links -- [options] [paths...]` — see `src/links/cli/args.ts` for
 * the options (`--help`). Offline by default; `--external` or
 * `KB_LINKS_EXTERNAL=1` also checks web links.
 */
import { runLinksCli } from '../src/links/cli/run.ts';

const code = await runLinksCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
