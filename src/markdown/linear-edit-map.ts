/**
 * micromark 4.0.3 closes every container (each list item, each block quote) with an
 * `EditMap` whose `consume` copies the whole event list of the document so far, so parsing
 * costs the square of the number of list items: a 1 MB note of short lists took minutes.
 * `installLinearEditMap()` swaps in a `consume` that rebuilds the list only from its first
 * edit on (same result, cost of the tail only). It patches the class micromark itself imports
 * at run time, so it reaches users who install kb-doctest as a dependency, where
 * `patches/` (applied by patch-package in our own `postinstall`) never runs.
 * See patches/README.md for the measurement and the upstream-ready description.
 */
import { EditMap } from 'micromark-util-edit-map';

type Change = EditMap['map'][number];

/** Same contract as upstream `EditMap#consume`: apply the edits sorted by index, then forget them. */
function consumeFromFirstEdit(this: EditMap, events: unknown[]): undefined {
  const changes: Change[] = this.map;
  changes.sort((a, b) => a[0] - b[0]);
  const first = changes[0];
  if (first === undefined) return;
  const start = first[0];
  const tail = events.slice(start);
  const end = start + tail.length;
  let cursor = start;
  events.length = start;
  for (const [at, remove, add] of changes) {
    while (cursor < at) events.push(tail[cursor++ - start]);
    for (const event of add) events.push(event);
    cursor = at + remove;
  }
  while (cursor < end) events.push(tail[cursor++ - start]);
  this.map.length = 0;
  this.index.clear();
}

/** Idempotent; call before parsing. */
export function installLinearEditMap(): void {
  (EditMap.prototype as { consume: unknown }).consume = consumeFromFirstEdit;
}

/** True when micromark's `EditMap` uses the linear `consume` (for tests and diagnostics). */
export function linearEditMapInstalled(): boolean {
  return (EditMap.prototype as { consume: unknown }).consume === consumeFromFirstEdit;
}
