/**
 * The programmatic API of kb-doctest: what a tool author needs to build on the
 * same notes, plans and checks as the `kb` command and the vitest plugin.
 * Everything not exported here is internal and may change in any release;
 * test/package/api.test.ts pins these names.
 */
import { readNote, type Note, type ParseOptions } from './markdown/parse.ts';
import { extractPlan } from './plan/extract.ts';
import type { NotePlan } from './plan/types.ts';

// The one configuration.
export { loadConfig, ConfigError, CONFIG_FILES, settingsFor, languageRuns, type KbConfig, type UserConfig, type LoadOptions } from './config/index.ts';

// Which files are notes.
export { collectNotes, noteMatcher, type NotesConfig, type NoteMatcher } from './notes/collect.ts';

// A note: parsed once, planned (examples, claims, problems).
export { readNote, noteFromText, type Note, type ParseOptions } from './markdown/parse.ts';
export { extractPlan } from './plan/extract.ts';
export type { NotePlan, PlanItem, ExamplePlan, ClaimPlan, ProblemPlan, ScriptPlan, RunnerName } from './plan/types.ts';

/** Read a note from disk, parse it and extract its plan (what `kb` and the plugin run). */
export function planNote(file: string, options: ParseOptions & { root: string }): { note: Note; plan: NotePlan } {
  const note = readNote(file, options);
  return { note, plan: extractPlan(note, { root: options.root }) };
}

// Links between notes (and web links, on request).
export { checkLinks, buildLinkIndex, checkExternalLinks, type LinkIndex, type LinkIndexOptions, type ExternalOptions, type ExternalReport } from './links/index.ts';

// Tables of contents and the notes index.
export { checkToc, updateToc, planToc, type TocCheck, type TocUpdate, type TocPlan, type TocStatus } from './toc/toc.ts';

// The report: its JSON shape and its builder.
export { buildReport, type BuildInput } from './report/build.ts';
export { reportJson, writeReportJson } from './report/json.ts';
export type * from './report/schema.ts';
export { SCHEMA_VERSION } from './report/schema.ts';

// Diagnostics: the rule registry every message's rule id comes from.
export { RULES, isRuleId, ruleOf, formatDiagnostic, toPlain, type RuleId, type RuleSpec, type PlainDiagnostic } from './diagnostics/index.ts';
