/**
 * Runs `kb report` (src/cli/bin.ts) in a child process. The report runs vitest, which
 * cannot run inside the vitest running these tests; a child process can.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE_KB = 'test/report/fixtures/kb';
/** A note with a broken link, a wrong output and a raising example; a passing note; a note with a typo. */
export const TRIAL_KB = 'test/report/fixtures/trial';

export interface ReportRun {
  code: number;
  stdout: string;
  stderr: string;
  out: string;
}

export function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'kb-report-test-'));
}

/** The environment of a child run: it decides strictness from its arguments only; vitest's own variables must not leak in. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['KB_STRICT'];
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'TEST' || key === 'NODE_ENV') delete env[key];
  return env;
}

export function runReport(args: string[], out = tempDir()): Promise<ReportRun> {
  const env = childEnv();
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/cli/bin.ts', 'report', ...args, '--out', out], { cwd: REPO, env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, out });
    });
  });
}
