/** `npm run report -- [options]`: see src/report/cli.ts for the options. */
import { runMain } from '../src/cli-exit.ts';
import { runReportCli } from '../src/report/cli.ts';

process.exitCode = await runMain(
  'report',
  () =>
    runReportCli(process.argv.slice(2), {
      cwd: process.cwd(),
      env: process.env,
      stdout: (text) => process.stdout.write(`${text}\n`),
      stderr: (text) => process.stderr.write(`${text}\n`),
    }),
  { env: process.env, stderr: (text) => process.stderr.write(text) },
);
