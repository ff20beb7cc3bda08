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
import type { Note } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';
import { checkSkipClosed, onHtml, onInlineHtml } from './annotation-nodes.ts';
import { linkEvidence } from './claims.ts';
import { codeLines, findContainers, parseBody, type ContainerBody } from './containers.ts';
import { onCode } from './examples.ts';
import { frontMatterHashSeed, frontMatterSandbox } from './front-matter.ts';
import { linkedScripts } from './linked-scripts.ts';
import { applySetupScopes } from './setup-scope.ts';
import type { NotePlan } from './types.ts';
import { headingPath, type Walk } from './walk-state.ts';

export interface ExtractOptions {
  /** Repository root, to resolve includes and linked scripts. */
  root: string;
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
  const hashSeed = frontMatterHashSeed(note);
  const sandbox = frontMatterSandbox(note);
  walkTree(walk, note.tree);
  checkSkipClosed(walk);
  linkEvidence(walk);
  applySetupScopes(walk);
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

interface Containers {
  bodies: ContainerBody[];
  next: number;
}

/** Walk a tree, and the bodies of the mkdocs containers in its source, each where it stands. */
function walkTree(walk: Walk, tree: Root): void {
  const { line } = walk.origin;
  const inCode = codeLines(tree);
  const bodies = findContainers(walk.source, (local) => inCode(local + line)).map((b) => ({ ...b, headerLine: b.headerLine + line, firstLine: b.firstLine + line, lastLine: b.lastLine + line }));
  const containers: Containers = { bodies, next: 0 };
  walkChildren(walk, tree, containers);
  walkContainers(walk, containers, Infinity);
}

/** Walk the container bodies whose marker line comes before `line`. */
function walkContainers(walk: Walk, containers: Containers, line: number): void {
  while (containers.next < containers.bodies.length && containers.bodies[containers.next]!.headerLine < line) {
    const body = containers.bodies[containers.next++]!;
    const saved = { source: walk.source, origin: walk.origin };
    const outer = walk.origin;
    const local = { ...body, firstLine: body.firstLine - outer.line };
    walk.source = body.text;
    walk.origin = { line: body.firstLine - 1, column: outer.column + body.indent, toNoteOffset: (offset) => outer.toNoteOffset(body.toNoteOffset(offset)) };
    walkTree(walk, parseBody(local, outer));
    walk.source = saved.source;
    walk.origin = saved.origin;
  }
}

function insideContainer(containers: Containers, line: number): boolean {
  return containers.bodies.some((b) => line >= b.firstLine && line <= b.lastLine);
}

function walkChildren(walk: Walk, parent: Parent, containers: Containers): void {
  const children = parent.children as RootContent[];
  for (let i = 0; i < children.length; i++) {
    const node = children[i]!;
    const line = node.position?.start.line ?? 0;
    walkContainers(walk, containers, line);
    // A container's body is read from its dedented text; what the note's own parse made of it is not the page.
    if (insideContainer(containers, line)) continue;
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
          if (inline.type === 'html' && !insideContainer(containers, inline.position?.start.line ?? 0)) onInlineHtml(walk, inline, node, j);
        }
        break;
      default:
        if ('children' in node) walkChildren(walk, node as Parent, containers);
    }
  }
}

export type { Root };
