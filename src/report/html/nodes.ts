/**
 * Two mdast node types of the report's own, registered with mdast's types.
 * remark-rehype turns any unknown node into an element named by `data.hName`:
 *   kbWrap  wraps note content (a claim's text, an example) in an element;
 *   kbHast  carries finished hast (badges, evidence) in `data.hChildren`.
 * Both are built only by the report from report data, never from note text.
 */
import type { Element, ElementContent, Properties } from 'hast';
import type { BlockContent, Data, Parent, PhrasingContent } from 'mdast';
import type { Node } from 'unist';
import type {} from 'mdast-util-to-hast';

export interface KbWrap extends Parent {
  type: 'kbWrap';
  children: (BlockContent | PhrasingContent)[];
  data: Data & { hName: string; hProperties: Properties };
}

export interface KbHast extends Node {
  type: 'kbHast';
  data: Data & { hName: string; hProperties: Properties; hChildren: ElementContent[] };
}

declare module 'mdast' {
  interface RootContentMap {
    kbWrap: KbWrap;
    kbHast: KbHast;
  }
  interface BlockContentMap {
    kbWrap: KbWrap;
    kbHast: KbHast;
  }
  interface PhrasingContentMap {
    kbWrap: KbWrap;
    kbHast: KbHast;
  }
}

export function wrap(tagName: string, properties: Properties, children: (BlockContent | PhrasingContent)[]): KbWrap {
  return { type: 'kbWrap', data: { hName: tagName, hProperties: properties }, children };
}

/** Embed a hast element in mdast. */
export function embed(element: Element): KbHast {
  return { type: 'kbHast', data: { hName: element.tagName, hProperties: element.properties, hChildren: element.children } };
}
