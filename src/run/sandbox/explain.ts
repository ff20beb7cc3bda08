/**
 * An example that ran into a limit of its sandbox fails with the language's
 * own words ("MemoryError", "File too large", "fork: Resource temporarily
 * unavailable"); this adds which limit it was and how to raise it.
 */
import type { RunResult } from '../result.ts';
import { diskMessage, fileSizeMessage, memoryMessage, processesMessage, type Limits } from './limits.ts';

export type LimitName = 'memory' | 'processes' | 'fileSize' | 'disk';

const SIGNS: Array<[LimitName, RegExp]> = [
  ['memory', /\bMemoryError\b|Cannot allocate memory|Array buffer allocation failed|JavaScript heap out of memory|allocation failed|std::bad_alloc|out of memory/i],
  ['fileSize', /File too large|\[Errno 27\]|EFBIG|File size limit exceeded/],
  ['disk', /No space left on device|\[Errno 28\]|ENOSPC/],
  ['processes', /fork: (retry: )?Resource temporarily unavailable|BlockingIOError: \[Errno 11\]|\bEAGAIN\b.*spawn|spawn .*EAGAIN|can't start new thread/],
];

/** Which limit a failed result shows signs of; `hit` is what the cgroup saw, if anything. */
export function limitReached(result: RunResult, hit?: LimitName): LimitName | undefined {
  if (result.status === 'passed' || result.status === 'skipped') return undefined;
  if (hit) return hit;
  // Bash reports a process killed by SIGXFSZ as status 153.
  if (result.exitCode === 153) return 'fileSize';
  const text = [result.message, result.stderr, result.exception?.type, result.exception?.message, result.exception?.traceback].filter(Boolean).join('\n');
  return SIGNS.find(([, sign]) => sign.test(text))?.[0];
}

export function limitMessage(limit: LimitName, limits: Limits): string {
  switch (limit) {
    case 'memory':
      return memoryMessage(limits);
    case 'processes':
      return processesMessage(limits);
    case 'fileSize':
      return fileSizeMessage(limits);
    case 'disk':
      return diskMessage(limits);
  }
}

/** The result with the limit named (in its message, and under the traceback of an exception). */
export function explainLimits(result: RunResult, limits: Limits, hit?: LimitName): RunResult {
  const limit = limitReached(result, hit);
  if (!limit) return result;
  const note = limitMessage(limit, limits);
  if (result.message?.includes(note)) return result;
  const explained: RunResult = { ...result, message: result.message ? `${result.message}\n${note}` : `${result.status === 'failed' && result.exitCode ? `exit status ${result.exitCode}: ` : ''}${note}` };
  if (result.exception) explained.exception = { ...result.exception, traceback: `${result.exception.traceback.trimEnd()}\n\n${note}` };
  return explained;
}
