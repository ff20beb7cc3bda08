/**
 * Regenerates src/plan/known-languages.ts from GitHub Linguist's language list
 * (the npm package `linguist-languages`): every language name, alias and file
 * extension a highlighter is likely to accept, lower-cased. Run with
 * `npm run languages`; test/plan/languages.test.ts fails when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { knownLanguagesModule } from '../src/plan/known-languages-source.ts';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'plan', 'known-languages.ts');
writeFileSync(target, await knownLanguagesModule());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
