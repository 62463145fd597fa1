// Small statistics helpers: median, percentiles, and a millisecond histogram.

export function median(values) {
  return percentile(values, 50);
}

/** Nearest-rank percentile of an array of numbers (p in 0..100). */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Latency histogram with 1 ms buckets (the last bucket holds everything >= max). */
export class MsHistogram {
  constructor(maxMs = 60_000, counts) {
    this.counts = counts ?? new Uint32Array(maxMs + 1);
    this.total = 0;
    if (counts) for (const c of counts) this.total += c;
  }
  add(ms) {
    const bucket = ms < 0 ? 0 : ms >= this.counts.length ? this.counts.length - 1 : Math.floor(ms);
    this.counts[bucket] += 1;
    this.total += 1;
  }
  merge(other) {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] += other.counts[i];
    this.total += other.total;
  }
  percentile(p) {
    if (this.total === 0) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return i;
    }
    return this.counts.length - 1;
  }
}

export function round(value, digits = 1) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
