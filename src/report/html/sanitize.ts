/**
 * The sanitizer schema for rendered notes: GitHub's (rehype-sanitize's
 * default) plus exactly the elements and attributes the report itself adds
 * (highlights, badges, evidence). Raw HTML from a note never gets this far
 * (annotate.ts turns it into text); this is the second line of defence.
 */
import { defaultSchema } from 'rehype-sanitize';
import type { Options as Schema } from 'rehype-sanitize';

type AttributeList = NonNullable<Schema['attributes']>[string];

const REPORT_ATTRIBUTES: AttributeList = ['className', 'dataStatus', 'dataClaimId', 'dataExampleId', 'dataKind', 'title', 'id'];

/** The default attributes of a tag plus the report's; the default's value-restricted `className` would win, so it goes. */
function extend(tag: string, extra: AttributeList): AttributeList {
  const base = (defaultSchema.attributes?.[tag] ?? []).filter((a) => (Array.isArray(a) ? a[0] : a) !== 'className');
  return [...base, ...extra];
}

export const noteSchema: Schema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), 'mark'],
  attributes: {
    ...defaultSchema.attributes,
    mark: REPORT_ATTRIBUTES,
    div: extend('div', REPORT_ATTRIBUTES),
    span: REPORT_ATTRIBUTES,
    details: REPORT_ATTRIBUTES,
    summary: extend('summary', ['className']),
    li: extend('li', REPORT_ATTRIBUTES),
    ul: extend('ul', ['className']),
    p: ['className'],
    pre: ['className'],
    code: [['className', /^language-./, 'raw-html']],
    a: [...(defaultSchema.attributes?.['a'] ?? []), 'rel'],
  },
  // Ids come only from the report (headings, examples) and from remark-rehype's
  // footnotes, all already prefixed per note; re-prefixing would break links.
  clobber: [],
};
