/**
 * Global setup after global-setup.ts: starts the run's Python pool server (its warm workers
 * outlive vitest's test workers, so watch-mode reruns and every test file find them started)
 * and hands its address to the notes as provided data. The pool starts no interpreter before
 * the first Python job, so a run without Python pays only for a listening socket. When the
 * socket cannot be made, nothing is provided and each test worker keeps a pool of its own.
 */
import type { RunSettings } from '../run/settings.ts';
import { startPoolServer, type PoolAddress } from '../run/runners/python/pool-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's Python pool server listens, and the token it asks for. */
    kbPoolServer?: PoolAddress;
  }
}

interface Project {
  provide(key: 'kbPoolServer', value: PoolAddress): void;
  getProvidedContext(): { kbRunSettings?: RunSettings };
}

export default async function setup(project: Project): Promise<(() => Promise<void>) | undefined> {
  const settings = project.getProvidedContext().kbRunSettings;
  if (!settings) return undefined;
  const server = await startPoolServer({ settings }).catch(() => undefined);
  if (!server) return undefined;
  project.provide('kbPoolServer', server.address);
  return () => server.close();
}
