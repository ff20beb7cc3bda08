/**
 * Heading attributes as Python-Markdown's attr_list and pandoc write them:
 * `## Title { #custom-id .class key=value }` (also `{: #id }`). On those sites
 * the `{...}` is not part of the title, and `#id` replaces the heading's slug.
 * Only a trailing group made entirely of attribute tokens counts, so a title
 * that ends in `{braces}` of another kind (`## The {x} set`, `## f() {}`) stays whole.
 */

export interface HeadingAttributes {
  /** The title without the attribute group. */
  text: string;
  /** The `#id`, when one is given. */
  id?: string;
}

const TOKEN = String.raw`(?:[#.][^\s{}#.="']+|[A-Za-z_][\w-]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+))`;
const TRAILING = new RegExp(String.raw`\s*\{:?\s*(${TOKEN}(?:\s+${TOKEN})*)\s*\}\s*$`);

export function headingAttributes(text: string): HeadingAttributes {
  const match = TRAILING.exec(text);
  if (!match || match.index === 0) return { text };
  const id = /(?:^|\s)#([^\s{}#.="']+)/.exec(match[1]!)?.[1];
  return id === undefined ? { text: text.slice(0, match.index) } : { text: text.slice(0, match.index), id };
}
