import { runUpdateCli } from '../src/update/cli.ts';

process.exitCode = await runUpdateCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
});
