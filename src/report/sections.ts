/**
 * Unbacked sections: headings with neither a claim nor an example directly
 * under them (subsections do not count). The note's title and its table of
 * contents are never meant to hold evidence, so they are left out.
 */
import type { NotePlan } from '../plan/types.ts';
import { isTocHeadingText } from '../toc/region.ts';
import type { UnbackedSection } from './schema.ts';

export function unbackedSections(plan: NotePlan): UnbackedSection[] {
  return plan.sections
    .filter((section, index) => !(index === 0 && section.depth === 1 && section.title === plan.title))
    .filter((section) => !isTocHeadingText(section.title))
    .filter((section) => section.items.length === 0)
    .map(({ title, depth, line, headingPath }) => ({ title, depth, line, headingPath }));
}
