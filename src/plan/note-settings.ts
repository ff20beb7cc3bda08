/** Note-level settings (read from front matter by front-matter.ts) applied to one example. */
import type { NoteSettings, RunMode } from './front-matter.ts';
import type { ParsedOptions } from './options.ts';
import type { ExamplePlan } from './types.ts';

export type { NoteSettings, RunMode } from './front-matter.ts';

/**
 * Apply the note's settings to one example, under what its own info string set
 * (`explicit`): the info string wins, the note's settings fill in the rest.
 * `configRun` is the configuration's `run` for this note.
 */
export function applyNoteSettings(example: ExamplePlan, explicit: ParsedOptions, settings: NoteSettings, configRun: RunMode): void {
  const options = example.options;
  if (settings.requires.length > 0) options.requires = [...new Set([...settings.requires, ...options.requires])];
  if (explicit['skip'] === undefined && settings.skip !== undefined) options.skip = settings.skip;
  if (explicit['timeout'] === undefined && settings.timeoutMs !== undefined) options.timeoutMs = settings.timeoutMs;
  const modes = [...(settings.modes['*'] ?? []), ...(example.runner ? settings.modes[example.runner] ?? [] : [])];
  for (const mode of modes) if (!options.modes.includes(mode)) options.modes.push(mode);
  const run = settings.run ?? configRun;
  if (run === 'marked' && example.runner && explicit['test'] !== true) {
    const where = settings.run === 'marked' ? '`kb: { run: marked }` in its front matter' : 'the configuration\'s `run: "marked"`';
    example.runner = null;
    example.notRun = `only blocks marked \`test\` run in this note (${where}); add \`test\` to the info string to run this one`;
  }
}
