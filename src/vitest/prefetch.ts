/**
 * The main process's side of the prefetch (pool-server.ts): the plain Python jobs of the notes a
 * test worker named, built by the same code the worker uses (`NoteRun.prefetchableJobs`, then
 * `poolRequest`), so that a job started ahead is the very text the note sends later.
 */
import { NoteRun } from '../run/run-note.ts';
import { poolRequest } from '../run/runners/python/index.ts';
import type { PrefetchRequest } from '../run/runners/python/pool-server.ts';
import type { RunSettings } from '../run/settings.ts';
import type { CompiledNote } from './codegen.ts';

/** What the notes plugin (plugin.ts) offers other plugins and the global setup, through vite's plugin `api`. */
export interface NotesPluginApi {
  /** The compiled note, from the persistent cache or compiled now (and cached); undefined for a file that is not a note. */
  compiledNote(file: string): CompiledNote | undefined;
}

export function prefetchJobs(files: string[], settings: RunSettings, compiledNote: NotesPluginApi['compiledNote']): PrefetchRequest[] {
  const requests: PrefetchRequest[] = [];
  for (const file of files) {
    const compiled = compiledNote(file);
    if (!compiled) continue;
    const run = new NoteRun(compiled.plan, compiled.file, compiled.root, settings);
    for (const job of run.prefetchableJobs()) requests.push(poolRequest(job));
  }
  return requests;
}
