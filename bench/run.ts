/** `npm run bench`: every benchmark, one after the other. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(benchDir, '..', 'node_modules', '.bin', 'tsx');
const only = process.argv.slice(2);
let failed = false;
for (const name of ['engine', 'toc', 'links']) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(tsx, [path.join(benchDir, `${name}.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
