/** Python (`exec`) and pycon (`doctest`) jobs, run in the warm worker pool. */
import { sharedPool } from './pool.ts';
import { PoolClient, type PoolLike } from './pool-client.ts';
import type { PoolAddress } from './pool-server.ts';
import type { CodeJob } from '../index.ts';
import type { RunResult } from '../../result.ts';
import type { RunSettings } from '../../settings.ts';

const DOCTEST_FLAGS: Record<string, string> = { ellipsis: 'ELLIPSIS', 'normalize-whitespace': 'NORMALIZE_WHITESPACE', 'no-output-check': 'KB_NO_OUTPUT_CHECK' };

let remote: PoolClient | undefined;
let remoteAddress: string | undefined;

/**
 * Send this process's Python jobs to the pool server of the vitest run (pool-server.ts), whose
 * workers outlive vitest's; `undefined` goes back to the in-process pool.
 */
export function usePoolServer(address: PoolAddress | undefined): void {
  const key = address ? `${address.socket}\0${address.token}` : undefined;
  if (key === remoteAddress) return;
  remoteAddress = key;
  remote = address ? new PoolClient(address, () => sharedPool()) : undefined;
}

function pool(settings?: RunSettings): PoolLike {
  return remote ?? sharedPool(settings);
}

export async function run(job: CodeJob): Promise<RunResult> {
  return pool(job.settings).run({
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
  await pool().endSession(session);
}
