/** The quantiles derived from a histogram's buckets, as series `<family>_p50` and so on. */
export const HISTOGRAM_QUANTILES: readonly [string, number][] = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p99', 0.99],
];

/**
 * Prometheus's histogram_quantile over one interval: `buckets` are the increases of
 * the cumulative bucket counts (upper bound `le` → count) between two scrapes.
 * Linear interpolation inside the bucket; a quantile in the +Inf bucket is the
 * highest finite bound. Undefined when nothing was observed.
 */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[]): number | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (total <= 0 || sorted.length < 2) return undefined;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bucket of sorted) {
    if (bucket.count >= rank) {
      if (bucket.le === Number.POSITIVE_INFINITY) return lowerBound;
      if (bucket.count === lowerCount) return bucket.le;
      return lowerBound + ((bucket.le - lowerBound) * (rank - lowerCount)) / (bucket.count - lowerCount);
    }
    lowerBound = bucket.le;
    lowerCount = bucket.count;
  }
  return lowerBound;
}
