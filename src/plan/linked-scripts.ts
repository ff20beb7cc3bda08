/** Example scripts a note links to (relative links to `.py` files inside the repository) run as tests too. */
import path from 'node:path';
import type { Nodes } from 'mdast';
import type { Note } from '../markdown/parse.ts';
import { headingText } from '../markdown/slug.ts';
import type { ScriptPlan } from './types.ts';

/** Example scripts the note links to (relative links to `.py` files inside the repository) run as tests too. */
export function linkedScripts(note: Note, root: string): ScriptPlan[] {
  const scripts: ScriptPlan[] = [];
  const seen = new Set<string>();
  const visitNode = (node: Nodes, stack: string[]) => {
    if (node.type === 'link' && /\.py$/.test(node.url.split('#')[0] ?? '') && !/^[a-z]+:/i.test(node.url) && !node.url.startsWith('/')) {
      const abs = path.resolve(path.dirname(note.path), decodeURI(node.url.split('#')[0]!));
      const rel = path.relative(root, abs);
      if (!rel.startsWith('..') && !seen.has(rel)) {
        seen.add(rel);
        const script: ScriptPlan = { kind: 'script', id: `script-${rel}`, path: rel.split(path.sep).join('/'), headingPath: stack, line: node.position!.start.line, column: node.position!.start.column };
        scripts.push(script);
      }
    }
    if ('children' in node) for (const child of node.children) visitNode(child as Nodes, stack);
  };
  const stack: { depth: number; title: string }[] = [];
  let first = true;
  for (const child of note.tree.children) {
    if (child.type === 'heading') {
      while (stack.length && stack[stack.length - 1]!.depth >= child.depth) stack.pop();
      if (!(first && child.depth === 1)) stack.push({ depth: child.depth, title: headingText(child) });
      first = false;
    }
    visitNode(child, stack.map((s) => s.title));
  }
  return scripts;
}
