/**
 * Global setup after global-setup.ts: starts the run's Python pool server (its warm workers
 * outlive vitest's test workers, so watch-mode reruns and every test file find them started)
 * and hands its address to the notes as provided data. When some note has a Python fence, the
 * first interpreter starts at once, while vitest starts its test workers; a run without Python
 * pays only for a listening socket. The notes plugin's compiled notes feed the prefetch
 * (prefetch.ts): the next notes' plain examples start while vitest moves between files. When the
 * socket cannot be made, nothing is provided and each test worker keeps a pool of its own.
 */
import type { RunSettings } from '../run/settings.ts';
import { startPoolServer, type PoolAddress } from '../run/runners/python/pool-server.ts';
import type { WorkerSandbox } from '../run/runners/python/interpreter.ts';
import { prefetchJobs, type NotesPluginApi } from './prefetch.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's Python pool server listens, and the token it asks for. */
    kbPoolServer?: PoolAddress;
  }
}

interface Project {
  provide(key: 'kbPoolServer', value: PoolAddress): void;
  getProvidedContext(): { kbRunSettings?: RunSettings; kbPythonNotes?: boolean };
  config: { root: string };
  /** The project's vite server: its plugins include the notes plugin, whose `api` compiles notes. */
  vite?: { config?: { plugins?: readonly { name?: string; api?: unknown }[] } };
}

/** The sandbox of a note's example that asks for nothing special (run-note.ts `job`, python/index.ts `poolRequest`). */
export function plainExampleSandbox(settings: RunSettings, root: string): WorkerSandbox {
  return { network: settings.network, limits: { ...settings.limits }, readable: [root] };
}

/** The notes plugin's `api` (plugin.ts), found by its name among the project's plugins. */
function notesApi(project: Project): NotesPluginApi | undefined {
  const api = project.vite?.config?.plugins?.find((plugin) => plugin.name === 'kb-notes')?.api as Partial<NotesPluginApi> | undefined;
  return typeof api?.compiledNote === 'function' ? (api as NotesPluginApi) : undefined;
}

export default async function setup(project: Project): Promise<(() => Promise<void>) | undefined> {
  const settings = project.getProvidedContext().kbRunSettings;
  if (!settings) return undefined;
  const notes = notesApi(project);
  const server = await startPoolServer({
    settings,
    ...(project.getProvidedContext().kbPythonNotes ? { warm: plainExampleSandbox(settings, project.config.root) } : {}),
    ...(notes ? { prefetchJobs: (files: string[]) => prefetchJobs(files, settings, (file) => notes.compiledNote(file)) } : {}),
  }).catch(() => undefined);
  if (!server) return undefined;
  project.provide('kbPoolServer', server.address);
  return () => server.close();
}
