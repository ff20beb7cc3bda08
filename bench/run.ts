/** `npm run bench`: every benchmark, one after the other. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(benchDir, '..', 'node_modules', '.bin', 'tsx');
const only = process.argv.slice(2);
let failed = false;
for (const name of ['engine', 'stages', 'toc', 'links', 'python-restore']) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n=== ${name} ===`);
  // python-restore runs inside the worker's own code, with the interpreter examples use.
  const command = name === 'python-restore' ? [process.env['KB_PYTHON'] || 'python3', [path.join(benchDir, `${name}.py`)]] as const : [tsx, [path.join(benchDir, `${name}.ts`)]] as const;
  const r = spawnSync(command[0], [...command[1]], { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
  // The README's figures come from this very run, never typed by hand.
  if (name === 'engine' && r.status === 0) {
    if (spawnSync(tsx, [path.join(benchDir, 'readme-table.ts')], { stdio: 'inherit' }).status !== 0) failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
