/**
 * A minimal depth-first walk in document order, for the TOC modules' own
 * look-ups (unist-util-visit allocates per node, which shows in the CLI's
 * profile over 1,000 notes). Calls `fn(node, parent)` for each node of `type`.
 */
import type { Nodes, Parents } from 'mdast';

type NodeOf<T extends Nodes['type']> = Extract<Nodes, { type: T }>;

export function walk<T extends Nodes['type']>(tree: Parents, type: T, fn: (node: NodeOf<T>, parent: Parents) => void): void {
  for (const child of tree.children as Nodes[]) {
    if (child.type === type) fn(child as NodeOf<T>, tree);
    if ('children' in child) walk(child as Parents, type, fn);
  }
}
