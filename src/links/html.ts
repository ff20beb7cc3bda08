/**
 * The little HTML the link checker needs: anchors (`id="…"`, `name="…"`) and
 * link targets (`<a href>`, `<img src>`) in raw HTML, with their offsets.
 * Comments are blanked first (same length, so offsets stay valid), because a
 * commented-out tag is neither an anchor nor a link.
 */

export interface HtmlAttribute {
  /** Attribute name, lower case (`id`, `name`, `href`, `src`). */
  name: string;
  /** Attribute value with the five basic character references decoded. */
  value: string;
  /** Offset of the attribute's first character in the scanned text. */
  offset: number;
  /** Lower-case name of the tag carrying the attribute. */
  tag: string;
}

const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
const TAG = /<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>?/g;
const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function blankComments(html: string): string {
  return html.replace(COMMENT, (comment) => comment.replace(/[^\n]/g, ' '));
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[\da-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return ENTITIES[lower] ?? whole;
  });
}

/** Every attribute in `wanted` on every tag of `html`. */
export function htmlAttributes(html: string, wanted: ReadonlySet<string>): HtmlAttribute[] {
  const found: HtmlAttribute[] = [];
  if (!html.includes('<')) return found;
  const text = html.includes('<!--') ? blankComments(html) : html;
  for (const tag of text.matchAll(TAG)) {
    const body = tag[2] ?? '';
    if (body === '') continue;
    const tagName = tag[1]!.toLowerCase();
    const bodyOffset = tag.index + 1 + tag[1]!.length;
    for (const attribute of body.matchAll(ATTRIBUTE)) {
      const name = attribute[1]!.toLowerCase();
      if (!wanted.has(name)) continue;
      const raw = attribute[2] ?? attribute[3] ?? attribute[4];
      if (raw === undefined) continue;
      found.push({ name, value: decodeEntities(raw), offset: bodyOffset + attribute.index, tag: tagName });
    }
  }
  return found;
}

const ANCHOR_ATTRIBUTES = new Set(['id', 'name']);
const LINK_ATTRIBUTES = new Set(['href', 'src']);

/** `id` and `name` values: the anchors raw HTML defines. */
export function htmlAnchors(html: string): HtmlAttribute[] {
  return htmlAttributes(html, ANCHOR_ATTRIBUTES).filter((a) => a.value !== '' && (a.name === 'id' || a.tag !== 'meta'));
}

/** `href` on `<a>`/`<area>` and `src` on `<img>`/`<source>`/…: the links raw HTML makes. */
export function htmlLinks(html: string): HtmlAttribute[] {
  return htmlAttributes(html, LINK_ATTRIBUTES).filter(
    (a) => (a.name === 'href' && (a.tag === 'a' || a.tag === 'area')) || (a.name === 'src' && a.tag !== 'script'),
  );
}
