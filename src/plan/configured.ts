/**
 * A note's plan as the run makes it under the configuration: the note's `run` mode and the
 * languages turned off for its file. The plugin, the report, `kb update` and `kb mutate` all plan
 * through here, so they never disagree about which examples run.
 */
import { languageRuns, settingsFor } from '../config/scope.ts';
import type { KbConfig } from '../config/schema.ts';
import type { Note } from '../markdown/parse.ts';
import { extractPlan } from './extract.ts';
import type { NotePlan } from './types.ts';

/** `file` is the note's absolute path (or relative to the configuration's root). */
export function planConfigured(note: Note, root: string, config: KbConfig | undefined, file: string): NotePlan {
  const plan = extractPlan(note, { root, ...(config ? { run: settingsFor(config, file).run } : {}) });
  if (config) markLanguagesOff(plan, config, file);
  return plan;
}

/**
 * Examples in a language the configuration turns off for this note (by default `sh` and other
 * shell fences in a README: install instructions) are listed as not run, saying which setting.
 */
export function markLanguagesOff(plan: NotePlan, config: KbConfig, file: string): void {
  const settings = settingsFor(config, file);
  for (const item of plan.items) {
    if (item.kind !== 'example' || item.runner === null || item.notRun || languageRuns(settings, item.lang, item.runner)) continue;
    item.notRun = `\`${item.lang}\` fences do not run in this file (configuration: "languages" or an "overrides" entry turns them on)`;
  }
}
