/**
 * The package as a project installs it: `npm run build`'s `dist/` and `package.json` copied to
 * `<dir>/node_modules/kb-doctest`, and a knowledge base using it through the README's three-line
 * vitest config. The engine bench measures this, not the sources: from `node_modules`, vite neither
 * bundles the plugin into the config nor transforms the runtime (vitest loads dependencies
 * natively), while this repository's own `vitest.config.ts` imports the TypeScript sources, which
 * vite transforms on every run (a development set-up no user has).
 *
 * The copy's own dependencies resolve from this repository's `node_modules` (Node looks in every
 * parent folder), so nothing is installed from the network.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Builds the package and installs the build under `dir` (a parent folder of the bench's projects). */
export function installBuiltPackage(dir: string): void {
  const build = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) throw new Error('bench: `npm run build` failed (its errors are above)');
  const target = path.join(dir, 'node_modules', 'kb-doctest');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(path.join(repoRoot, 'dist'), path.join(target, 'dist'), { recursive: true });
  cpSync(path.join(repoRoot, 'package.json'), path.join(target, 'package.json'));
}

/** Makes `root` a project as the README sets one up: a package.json and the three-line vitest config. */
export function makeProject(root: string): void {
  writeFileSync(path.join(root, 'package.json'), '{ "private": true, "type": "module" }\n');
  writeFileSync(
    path.join(root, 'vitest.config.mjs'),
    "import { defineConfig } from 'vitest/config';\nimport kb from 'kb-doctest/vitest';\n\nexport default defineConfig({ plugins: [kb()] });\n",
  );
}
