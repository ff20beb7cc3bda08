import { fileURLToPath } from 'node:url';

/**
 * The path of a module next to the calling one, `name` given without its
 * extension: `.ts` when running from source (tests, tsx), `.js` from the built
 * package, so vitest can load runtime files in both.
 */
export function siblingModule(name: string, importMetaUrl: string): string {
  const extension = /\.[cm]?ts$/.test(fileURLToPath(importMetaUrl)) ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${extension}`, importMetaUrl));
}
