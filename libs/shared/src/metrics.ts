/**
 * Metrics: high-volume telemetry, not durable events. Samples are streamed live as
 * `metrics` messages (no SSE id), kept in the time-series store, and merged by time
 * into replays.
 */

/** One sample of one source: several named values taken at the same moment. */
export interface MetricSample {
  /** Absent for host-wide sources (the machine serves every environment). */
  environment?: string;
  /** e.g. "host", "vigil", "web-server"; another machine's host metrics are "host@<name>". */
  source: string;
  /** The node or agent host that took the sample, when it is not this process's own machine. */
  host?: string;
  /** ISO-8601 UTC with milliseconds. */
  time: string;
  values: Record<string, number>;
  /** Set when the collector failed or timed out; `values` then holds what it could get. */
  error?: string;
}

export interface MetricsMessage extends MetricSample {
  type: 'metrics';
}

export type MetricKind = 'gauge' | 'rate';

export interface MetricInfo {
  name: string;
  unit: string;
  kind: MetricKind;
}

export interface CatalogSource {
  source: string;
  environment?: string;
  metrics: MetricInfo[];
}

export type HistoryTier = 'raw' | '1m' | '1h';

/** GET /api/metrics/history `duration=`: how far back from now. */
export const HISTORY_DURATIONS = ['1h', '24h', '7d'] as const;
export type HistoryDuration = (typeof HISTORY_DURATIONS)[number];
export const HISTORY_DURATION_MS: Readonly<Record<HistoryDuration, number>> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 };

/** [time (epoch ms, bucket start), avg, min, max] */
export type HistoryPoint = [number, number, number, number];

export interface HistoryResponse {
  metric: string;
  source: string;
  environment?: string;
  tier: HistoryTier;
  /** Bucket width in seconds. */
  step: number;
  from: number;
  to: number;
  points: HistoryPoint[];
}

/** The key a source's latest sample is kept under in the dashboard state. */
export function metricSourceKey(sample: { environment?: string; source: string }): string {
  return `${sample.environment ?? '*'}/${sample.source}`;
}
