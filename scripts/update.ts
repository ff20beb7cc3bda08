/** `npm run update -- [options] [filters...]`: see src/update/cli.ts for the options. */
import { runMain } from '../src/cli-exit.ts';
import { runUpdateCli } from '../src/update/cli.ts';

const stderr = (t: string) => process.stderr.write(t);
process.exitCode = await runMain(
  'update',
  () =>
    runUpdateCli(process.argv.slice(2), {
      stdout: (t) => process.stdout.write(t),
      stderr,
    }),
  { env: process.env, stderr },
);
