/**
 * extract: one parsed note → its plan (examples, claims, sections, problems).
 * Pure: reads nothing but the note; file-system checks happen when the plan runs.
 * One walk over the tree hands each node to the module for its kind:
 *   examples.ts (fences) · outputs.ts · annotation-nodes.ts (comments) · claims.ts
 *   front-matter.ts · setup-scope.ts · linked-scripts.ts
 */
import path from 'node:path';
import type { Parent, Root, RootContent } from 'mdast';
import { report, toPlain } from '../diagnostics/index.ts';
import { readContainers, type ContainerLayer } from '../markdown/containers.ts';
import type { Note } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';
import { checkSkipClosed, onHtml, onInlineHtml } from './annotation-nodes.ts';
import { linkEvidence } from './claims.ts';
import { onCode } from './examples.ts';
import { frontMatterSandbox, readNoteSettings, sandboxOptions, type RunMode } from './front-matter.ts';
import { CHECK_SETUP_FILE, FOLDER_SETUP_FILES, folderSetup, folderSetupFor, type FolderSetup } from './folder-setup.ts';
import { linkedScripts } from './linked-scripts.ts';
import { applySetupScopes } from './setup-scope.ts';
import type { NotePlan } from './types.ts';
import { headingPath, type Walk } from './walk-state.ts';

export interface ExtractOptions {
  /** Repository root, to resolve includes and linked scripts. */
  root: string;
  /** The configuration's `run` for this note: `marked` runs only fences marked `test` (default `all`). */
  run?: RunMode;
}

export function extractPlan(note: Note, options: ExtractOptions): NotePlan {
  const source = note.text.charCodeAt(0) === 0xfeff ? note.text.slice(1) : note.text;
  const firstHeading = note.tree.children.find((n) => n.type === 'heading');
  const walk: Walk = {
    note,
    source,
    origin: { line: 0, column: 0, toNoteOffset: (offset) => offset },
    root: options.root,
    headingStack: [],
    headingCount: 0,
    items: [],
    sections: [],
    scoped: [],
    claims: new Map(),
    pendingChecks: [],
    ancestry: new Map(),
    title: firstHeading ? headingText(firstHeading) : path.basename(note.relPath, '.md'),
    // The note's own title (a lone depth-1 heading) is left out of test names: every case has it.
    skipTitleDepth: firstHeading && firstHeading.type === 'heading' && firstHeading.depth === 1 ? 1 : null,
  };
  // Front matter first: its settings apply to every example the walk finds.
  walk.noteSettings = readNoteSettings(note);
  walk.runMode = options.run ?? 'all';
  const hashSeed = walk.noteSettings.hashSeed;
  const sandbox = mergeSandbox(frontMatterSandbox(note), sandboxOptions(walk.noteSettings.sandbox));
  walkLayer(walk, readContainers(note.tree, source));
  checkSkipClosed(walk);
  linkEvidence(walk);
  applySetupScopes(walk);
  applyFolderSetup(walk.items, folderSetup(note.path, options.root));
  walk.items.push(...linkedScripts(walk.note, options.root));
  for (const m of note.file.messages) {
    if (m.fatal) walk.items.push({ kind: 'problem', line: m.line ?? 1, column: m.column ?? 1, diagnostic: toPlain(m, note.relPath) });
  }
  walk.items.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    path: note.relPath,
    title: walk.title,
    hashSeed,
    ...(sandbox ? { sandbox } : {}),
    items: walk.items,
    sections: walk.sections,
    diagnostics: note.file.messages.map((m) => toPlain(m, note.relPath)),
  };
}

/** Top-level `network:`/`memory:` and the same keys under `kb:` (which win). */
function mergeSandbox(top: NotePlan['sandbox'], kb: NonNullable<NotePlan['sandbox']>): NotePlan['sandbox'] {
  if (Object.keys(kb).length === 0) return top;
  const limits = { ...top?.limits, ...kb.limits };
  const network = kb.network ?? top?.network;
  return { ...(network !== undefined ? { network } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}

/** A folder's setup files run first, before the note's own setup, each for its own language's examples (claims' checks are Python). */
function applyFolderSetup(items: NotePlan['items'], setup: FolderSetup): void {
  if (setup.size === 0) return;
  for (const item of items) {
    const names = item.kind === 'claim' ? [CHECK_SETUP_FILE] : item.kind === 'example' && item.runner ? FOLDER_SETUP_FILES[item.runner] : [];
    const parts = folderSetupFor(setup, names);
    if (parts.length > 0 && (item.kind === 'claim' || item.kind === 'example')) item.setup = [...parts, ...item.setup];
  }
}

interface PendingBodies {
  layer: ContainerLayer;
  next: number;
}

/** Walk a layer (the note, or a container body), and the bodies in it, each where it stands. */
function walkLayer(walk: Walk, layer: ContainerLayer): void {
  const saved = { source: walk.source, origin: walk.origin };
  walk.source = layer.source;
  walk.origin = { line: layer.lineShift, column: layer.indent, toNoteOffset: layer.toNoteOffset };
  const pending: PendingBodies = { layer, next: 0 };
  walkChildren(walk, layer.tree, pending);
  walkBodies(walk, pending, Infinity);
  walk.source = saved.source;
  walk.origin = saved.origin;
}

/** Walk the container bodies whose marker line comes before `line`. */
function walkBodies(walk: Walk, pending: PendingBodies, line: number): void {
  const { bodies } = pending.layer;
  while (pending.next < bodies.length && bodies[pending.next]!.headerLine < line) walkLayer(walk, bodies[pending.next++]!);
}

function walkChildren(walk: Walk, parent: Parent, pending: PendingBodies): void {
  const children = parent.children as RootContent[];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const line = node.position?.start.line ?? 0;
    walkBodies(walk, pending, line);
    // A container's body is read from its dedented text; what the note's own parse made of it is not the page.
    if (pending.layer.inBody(line)) continue;
    if (walk.pendingInclude && node.type !== 'code') {
      const { node: html } = walk.pendingInclude;
      report(walk.note.file, 'an `include` annotation must be followed directly by the fenced block it binds; move it right above the fence', html.position?.start, 'include-without-fence');
      walk.pendingInclude = undefined;
    }
    switch (node.type) {
      case 'heading': {
        const title = headingText(node);
        while (walk.headingStack.length > 0 && walk.headingStack[walk.headingStack.length - 1]!.depth >= node.depth) walk.headingStack.pop();
        walk.headingStack.push({ depth: node.depth, title, index: walk.headingCount++ });
        walk.sections.push({ title, depth: node.depth, headingPath: headingPath(walk), line: node.position!.start.line, column: node.position!.start.column, items: [] });
        break;
      }
      case 'code':
        onCode(walk, node, children, i);
        break;
      case 'html':
        onHtml(walk, node, parent, i);
        break;
      case 'paragraph':
        for (let j = 0; j < node.children.length; j++) {
          const inline = node.children[j]!;
          if (inline.type === 'html' && !pending.layer.inBody(inline.position?.start.line ?? 0)) onInlineHtml(walk, inline, node, j);
        }
        break;
      default:
        if ('children' in node) walkChildren(walk, node as Parent, pending);
    }
  }
}

export type { Root };
