/**
 * Link checking, public API.
 *
 *   const index = buildLinkIndex({ root });        // once per run
 *   const messages = checkLinks(note, index);      // offline, per note
 *   await checkExternalLinks(notes, { root });     // opt-in web links
 */
export { checkLinks } from './check.ts';
export { buildLinkIndex, listNotes, type LinkIndex, type LinkIndexOptions, type EntryKind } from './link-index.ts';
export type { FileAnchors } from './anchors.ts';
export type { AnchorInfo, LinkOccurrence, LinkKind } from './collect.ts';
export {
  checkExternalLinks,
  DEFAULT_CACHE_FILE,
  DEFAULT_IGNORE_FILE,
  USER_AGENT,
  type ExternalOptions,
  type ExternalReport,
} from './external/check-external.ts';
export { runLinksCli, type CliIo } from './cli/run.ts';
