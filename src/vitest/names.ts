/** Test names follow the heading path: `Pitfalls › Concurrency › example at line 141`. */
import type { PlanItem } from '../plan/types.ts';

export const SEPARATOR = ' › ';

export function shorten(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

export function caseName(item: PlanItem): string {
  switch (item.kind) {
    case 'example':
      return [...item.headingPath, item.options.name ?? `example at line ${item.line}`].join(SEPARATOR);
    case 'claim':
      return [...item.headingPath, `claim: ${shorten(item.text)}`].join(SEPARATOR);
    case 'script':
      return [...item.headingPath, `script ${item.path}`].join(SEPARATOR);
    case 'problem':
      return `problem at line ${item.line}: ${shorten(item.diagnostic.reason, 80)}`;
  }
}
