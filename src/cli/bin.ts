#!/usr/bin/env node
/** The `kb` executable: the process's arguments, directory and environment go in as data. */
import { runKb } from './main.ts';

process.exitCode = await runKb(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
