/** The README's bench table is written between its markers only, from the bench's results. */
import { describe, expect, it } from 'vitest';
import { renderTable, withTable } from '../../bench/readme-table.ts';

const results = {
  machine: { cpus: 2, node: 'v22.0.0' },
  notes: 100, perNote: 10, more: 30, baselineParallel: 2,
  coldMs: 3000, warmMs: 2000, oneWorkerMs: 2500, baselineMs: 18000, doctestMs: 200,
  floorMs: 1500, marginalMs: 0.5, watchMs: 350,
  big: [{ kb: 100, wallMs: 2000, peakRssMb: 200 }, { kb: 1000, wallMs: 4000, peakRssMb: 250 }],
  peakRssMb: 300,
};

describe('README bench table', () => {
  it('renders ratios from the results, not typed figures', () => {
    const table = renderTable(results);
    expect(table).toContain('| ours, first run (empty caches) | 3.00 s |  | 333 | 15.0x (target ≤ 18x) |');
    expect(table).toContain('| ours, warm, `--maxWorkers=1` | 2.50 s |  | 400 | 12.5x |');
    const withCpu = renderTable({ ...results, coldCpuMs: 2500, marginalCpuMs: 0.4, byWorkers: [{ workers: 1, wallMs: 2500, cpuMs: 1900 }, { workers: 2, wallMs: 2000, cpuMs: 2100 }] });
    expect(withCpu).toContain('| ours, first run (empty caches) | 3.00 s | 2.50 s | 333 | 15.0x (target ≤ 18x) |');
    expect(withCpu).toContain('| ours, warm, `--maxWorkers=2` | 2.00 s | 2.10 s | 500 | 10.0x |');
    expect(withCpu).toContain('| 0.50 ms (CPU 0.40 ms) | < 0.7 ms |');
    expect(table).toContain('| first run vs one interpreter per example | 6.0x faster | ≥ 6x |');
    expect(table).toContain('| 1,000 KB note / 100 KB note | 2.0x | ≤ 3x |');
  });

  it('replaces only the region between the markers, idempotently', () => {
    const text = 'before\n<!-- bench:engine -->\nold\n<!-- bench:engine-end -->\nafter\n';
    const once = withTable(text, 'NEW');
    expect(once).toBe('before\n<!-- bench:engine -->\nNEW\n<!-- bench:engine-end -->\nafter\n');
    expect(withTable(once, 'NEW')).toBe(once);
  });

  it('missing markers are a clear error', () => {
    expect(() => withTable('no markers here', 'x')).toThrow(/no <!-- bench:engine --> … <!-- bench:engine-end --> region/);
    expect(() => withTable('<!-- bench:engine-end -->\n<!-- bench:engine -->', 'x')).toThrow(/region/);
  });
});
