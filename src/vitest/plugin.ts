/**
 * A vite plugin that makes every note a vitest test file: vitest's own
 * `include` picks `notes/**\/*.md`, and this plugin turns each into a module
 * registering one test per example, claim and structural check.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { siblingModule } from '../fs/sibling.ts';
import type { Plugin } from 'vite';
import type {} from 'vitest/node';
import { loadConfig } from '../config/index.ts';
import { noteFromText } from '../markdown/parse.ts';
import { extractPlan } from '../plan/extract.ts';
import { buildLinkIndex, type LinkIndex } from '../links/index.ts';
import { structuralCases } from './structural.ts';
import { generateModule } from './codegen.ts';

export interface KbNotesOptions {
  /** Repository root (default: vite's root). */
  root?: string;
  /** Which Markdown files are notes (default: every `.md` under the root that vitest includes). */
  filter?: (file: string) => boolean;
  /** Cited-only claims fail (default: the project's configuration, `strict` or `KB_STRICT`). */
  strict?: boolean;
}

const runtimeModule = siblingModule('note-tests', import.meta.url);

export function kbNotes(options: KbNotesOptions = {}): Plugin {
  let root = options.root ?? process.cwd();
  // Anchors of link targets are cached across notes; any change on disk (watch mode) starts afresh.
  let links: LinkIndex | undefined;
  const linkIndex = () => (links ??= buildLinkIndex({ root }));
  return {
    name: 'kb-notes',
    enforce: 'pre',
    configResolved(config) {
      root = options.root ?? config.root;
    },
    // Settings reach the note runtime in the workers as provided data, never through the environment.
    async configureVitest({ project }) {
      const strict = options.strict ?? (await loadConfig({ root: options.root ?? project.config.root })).strict;
      project.provide('kbStrict', strict);
    },
    watchChange() {
      links = undefined;
    },
    load(id) {
      const file = id.split('?')[0]!;
      if (!file.endsWith('.md') || (options.filter && !options.filter(file))) return null;
      const text = readFileSync(file, 'utf8');
      const note = noteFromText(file, text, { root });
      const plan = extractPlan(note, { root });
      const structural = structuralCases(note, { root, links: linkIndex() });
      const lineCount = (text.match(/\n/g)?.length ?? 0) + 1;
      const { code, map } = generateModule({ plan, file, root, structural }, runtimeModule, lineCount);
      return { code, map: map as never, moduleType: 'js' } as never;
    },
  };
}

export function isNoteFile(root: string, file: string, notesDir = 'notes'): boolean {
  const rel = path.relative(root, file);
  return rel.startsWith(notesDir + path.sep) || rel === 'README.md';
}
