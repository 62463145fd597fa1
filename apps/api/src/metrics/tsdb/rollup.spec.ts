import { coarsen, rollUp } from './rollup';

describe('rollup', () => {
  it('aggregates into epoch-aligned buckets, in any order', () => {
    const base = Date.UTC(2026, 0, 1, 0, 59);
    const ts = [base + 61_000, base + 1000, base + 59_999, base + 60_000, base];
    const vs = [10, 2, -4, 6, 8];
    const minutes = rollUp(ts, vs, 60_000);
    expect([...minutes.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [base, { sum: 6, min: -4, max: 8, count: 3 }],
      [base + 60_000, { sum: 16, min: 6, max: 10, count: 2 }],
    ]);
    // Minutes merged into hours equal a direct hourly rollup.
    expect(coarsen(minutes, 3_600_000)).toEqual(rollUp(ts, vs, 3_600_000));
  });

  it('accumulates into an existing map (several batches)', () => {
    const into = rollUp([0, 1000], [1, 2], 60_000);
    rollUp([2000], [-3], 60_000, into);
    expect(into.get(0)).toEqual({ sum: 0, min: -3, max: 2, count: 3 });
  });
});
