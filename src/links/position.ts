/** Offsets to line:column (both 1-based), for places inside a node's source. */

export interface LinePoint {
  line: number;
  column: number;
  offset: number;
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  let index = text.indexOf('\n');
  while (index !== -1) {
    starts.push(index + 1);
    index = text.indexOf('\n', index + 1);
  }
  return starts;
}

export function pointAt(starts: readonly number[], offset: number): LinePoint {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1, offset };
}

/** Number of lines as an editor (and GitHub's blob view) counts them: a final newline ends the last line. */
export function countLines(text: string): number {
  if (text === '') return 0;
  let count = 0;
  let index = text.indexOf('\n');
  while (index !== -1) {
    count++;
    index = text.indexOf('\n', index + 1);
  }
  return text.endsWith('\n') ? count : count + 1;
}
