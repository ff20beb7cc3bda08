/**
 * `npm run rules`: rewrite the table of rules in README.md (between
 * `<!-- rules -->` and `<!-- rulesstop -->`) from src/diagnostics/rules.ts.
 * `--check` changes nothing and exits 1 when the table is stale.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES_END, RULES_START, withRulesTable } from '../src/diagnostics/rules-table.ts';
import { writeFileAtomicSync } from '../src/fs/atomic-write.ts';

const readme = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown[0]}; usage: npm run rules [-- --check]`);
  process.exit(2);
}
const text = readFileSync(readme, 'utf8');
const updated = withRulesTable(text);
if (updated === undefined) {
  console.error(`README.md has no ${RULES_START} … ${RULES_END} markers; add them where the table of rules goes`);
  process.exit(1);
}
if (updated === text) {
  console.log('README.md: the table of rules is current');
} else if (args.includes('--check')) {
  console.error('README.md: the table of rules is stale; run `npm run rules`');
  process.exit(1);
} else {
  writeFileAtomicSync(readme, updated);
  console.log('README.md: table of rules rewritten');
}
