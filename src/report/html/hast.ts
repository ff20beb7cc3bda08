/**
 * A tiny hast builder. The page is built as a tree and serialised once by
 * hast-util-to-html, so every piece of text is escaped by construction: no
 * string concatenation of HTML anywhere in the report.
 */
import type { Element, ElementContent, Properties, Text } from 'hast';

export type Child = ElementContent | string | null | undefined | false;

export function h(tagName: string, properties: Properties = {}, children: Child[] = []): Element {
  return { type: 'element', tagName, properties, children: children.flatMap(toNode) };
}

export function text(value: string): Text {
  return { type: 'text', value };
}

function toNode(child: Child): ElementContent[] {
  if (child === null || child === undefined || child === false) return [];
  return [typeof child === 'string' ? text(child) : child];
}
