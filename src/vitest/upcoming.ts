/**
 * The notes this vitest worker runs after the current one, for the pool server's prefetch
 * (pool-server.ts). vitest hands a worker the list of test files it is to run, in order, in its
 * worker state; that is not public API, so anything unexpected reads as "unknown" (no prefetch,
 * nothing else changes). None either when a name or line filter is given: some examples of those
 * notes may not be selected, and an example nobody selected must not run.
 */
interface WorkerState {
  ctx?: { files?: unknown };
  config?: { testNamePattern?: unknown };
}

export function upcomingFiles(file: string, count = 2): string[] {
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
  const files = state?.ctx?.files;
  if (!Array.isArray(files) || state?.config?.testNamePattern) return [];
  const paths: string[] = [];
  for (const entry of files) {
    if (typeof entry === 'string') paths.push(entry);
    else if (entry && typeof entry === 'object' && typeof (entry as { filepath?: unknown }).filepath === 'string') {
      const { filepath, testLocations } = entry as { filepath: string; testLocations?: unknown };
      if (Array.isArray(testLocations) && testLocations.length > 0) return [];
      paths.push(filepath);
    } else return [];
  }
  const at = paths.indexOf(file);
  return at < 0 ? [] : paths.slice(at + 1, at + 1 + count);
}
