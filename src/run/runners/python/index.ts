/** Python (`exec`) and pycon (`doctest`) jobs, run in the warm worker pool. */
import { sharedPool } from './pool.ts';
import type { CodeJob } from '../index.ts';
import type { RunResult } from '../../result.ts';

const DOCTEST_FLAGS: Record<string, string> = { ellipsis: 'ELLIPSIS', 'normalize-whitespace': 'NORMALIZE_WHITESPACE', 'no-output-check': 'KB_NO_OUTPUT_CHECK' };

export async function run(job: CodeJob): Promise<RunResult> {
  return sharedPool(job.settings).run({
    kind: job.runner === 'pycon' ? 'doctest' : 'exec',
    filename: job.file,
    code: job.code,
    firstLine: job.firstLine,
    setup: job.setup,
    teardown: job.teardown,
    timeoutMs: job.timeoutMs,
    session: job.session,
    isolate: job.isolate,
    hashSeed: job.hashSeed,
    doctestOptionFlags: job.flags.map((f) => DOCTEST_FLAGS[f]).filter((f): f is string => Boolean(f)),
    match: job.match,
  }, { ...job.sandbox, readable: [job.root] }) as Promise<RunResult>;
}

export async function endSession(session: string): Promise<void> {
  await sharedPool().endSession(session);
}
