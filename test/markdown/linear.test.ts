/**
 * Parsing cost grows linearly with a note's size. micromark 4.0.3 made it quadratic in the number
 * of list items (see patches/README.md); src/markdown/linear-edit-map.ts fixes it at run time.
 * A ratio of CPU times, not an absolute time: linear parsing gives ~10× for 10× the text (measured
 * 9–10×), the unfixed parser ~30× on this shape at these sizes (and minutes at 5 MB).
 */
import { describe, expect, it } from 'vitest';
import { generateBigNote } from '../../bench/big-note.ts';
import { linearEditMapInstalled } from '../../src/markdown/linear-edit-map.ts';
import { parseMarkdown } from '../../src/markdown/parse.ts';

function cpuSeconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

describe('parsing cost', () => {
  it('uses the linear EditMap once the parser is loaded', () => {
    expect(linearEditMapInstalled()).toBe(true);
  });

  it('parses a 1 MB note in at most 20× the time of a 100 KB note of the same shape', () => {
    // A changelog: the densest common shape, where most lines open and close a list item.
    const small = generateBigNote({ bytes: 100_000, shape: 'changelog' }).text;
    const large = generateBigNote({ bytes: 1_000_000, shape: 'changelog' }).text;
    parseMarkdown(small); // warm-up: JIT and the parser's lazy set-up
    const smallTime = median([0, 1, 2].map(() => cpuSeconds(() => parseMarkdown(small))));
    const largeTime = cpuSeconds(() => parseMarkdown(large));
    expect(largeTime / smallTime, `100 KB: ${smallTime.toFixed(2)} s, 1 MB: ${largeTime.toFixed(2)} s`).toBeLessThanOrEqual(20);
  }, 120_000);
});
