/**
 * A note compiled for its test module: its plan, its structural verdicts (table of contents,
 * notes index, links) and the files its result depends on. This is the plugin's heavy half (the
 * Markdown parser, the planner, the link and TOC checks): plugin.ts imports it only when a note
 * is not in the persistent cache, so a warm run never loads it (~150 ms less before vitest starts).
 */
import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { KbConfig } from '../config/index.ts';
import { noteFromText } from '../markdown/parse.ts';
import { planConfigured } from '../plan/configured.ts';
import { buildLinkIndex, type LinkIndex } from '../links/index.ts';
import { collectNotes } from '../notes/collect.ts';
import { noteDependencies } from '../notes/dependencies.ts';
import { indexFile, structuralCases } from './structural.ts';
import type { CompiledNote } from './codegen.ts';

export interface CompileContext {
  root: string;
  kb?: KbConfig;
  /** The anchors of every note and file links may point to, shared by the notes of one run. */
  links: () => LinkIndex;
}

export function compileNote(file: string, text: string, context: CompileContext): { compiled: CompiledNote; dependencies: string[] } {
  const { root, kb } = context;
  const note = noteFromText(file, text, { root });
  const plan = planConfigured(note, root, kb, file);
  const index = kb && indexFile(kb);
  const structural = structuralCases(note, { root, links: context.links(), index });
  const dependencies = noteDependencies(note, plan, root);
  if (index !== undefined && path.resolve(file) === index) dependencies.push(...indexDependencies(index));
  return { compiled: { plan, file, root, structural }, dependencies };
}

export function linkIndexFor(root: string, kb: KbConfig | undefined): LinkIndex {
  return buildLinkIndex({ root, ...(kb ? { notes: collectNotes(kb).files, siteRoot: kb.siteRoot, autorefs: kb.links.autorefs } : {}) });
}

/** The notes index is checked against every Markdown file of its folder and every folder there. */
function indexDependencies(index: string): string[] {
  const notesDir = path.dirname(index);
  const found = globSync(['**/*.md', '**/'], { cwd: notesDir, onlyFiles: false, ignore: ['**/node_modules/**'] });
  return [notesDir, ...found.map((f) => path.join(notesDir, f))].sort();
}
