/** The README's table of rules, generated from the registry (`npm run rules` rewrites it; a test fails when it is stale). */
import { RULES, type Stage } from './rules.ts';

export const RULES_START = '<!-- rules -->';
export const RULES_END = '<!-- rulesstop -->';

const STAGE_ORDER: Stage[] = ['config', 'plan', 'run', 'toc', 'links', 'external'];

/** The Markdown table of every rule, by stage, as it stands between the markers. */
export function rulesTable(): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = Object.entries(RULES)
    .map(([id, spec]) => ({ id, ...spec }))
    .sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage));
  return [
    '| rule | stage | severity | what is wrong |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| \`${r.id}\` | ${r.stage} | ${r.severity} | ${escape(r.description)} |`),
  ].join('\n');
}

/** `text` with the region between the markers replaced by the current table; `undefined` when the markers are missing. */
export function withRulesTable(text: string): string | undefined {
  const start = text.indexOf(RULES_START);
  const end = text.indexOf(RULES_END);
  if (start === -1 || end === -1 || end < start) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const table = rulesTable().split('\n').join(eol);
  return `${text.slice(0, start + RULES_START.length)}${eol}${eol}${table}${eol}${eol}${text.slice(end)}`;
}
