import type { MetricInfo } from '@vigil/shared';

/**
 * Metric names carry their unit as a suffix (`_percent`, `_bytes`, `_per_s`, …), so
 * the unit of a name is known without a table per collector.
 */
const SUFFIXES: [string, string, MetricInfo['kind']][] = [
  ['_bytes_per_s', 'B/s', 'rate'],
  ['_per_s', '/s', 'rate'],
  ['_percent', '%', 'gauge'],
  ['_bytes', 'B', 'gauge'],
  ['_ms', 'ms', 'gauge'],
  ['_seconds', 's', 'gauge'],
];

export function describeMetric(name: string): MetricInfo {
  for (const [suffix, unit, kind] of SUFFIXES) {
    if (name.endsWith(suffix)) return { name, unit, kind };
  }
  return { name, unit: '', kind: 'gauge' };
}

/** A rate from two readings of a monotonic counter; a reset (counter went down) gives no rate. */
export function ratePerSecond(previous: number | undefined, current: number, elapsedMs: number): number | undefined {
  if (previous === undefined || elapsedMs <= 0 || current < previous) return undefined;
  return ((current - previous) * 1000) / elapsedMs;
}
