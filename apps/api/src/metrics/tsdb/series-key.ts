import type { MetricKind } from '@vigil/shared';

/** A series: one metric of one source, optionally per environment (absent = host-wide). */
export interface SeriesKey {
  environment?: string;
  source: string;
  metric: string;
}

export interface SeriesInfo {
  key: SeriesKey;
  unit: string;
  kind: MetricKind;
}

/** Map key for a series ('\u0000' cannot occur in sane names). */
export function seriesKeyString(key: SeriesKey): string {
  return `${key.environment ?? ''}\u0000${key.source}\u0000${key.metric}`;
}

/** A stored series row back to its key: environment '' means host-wide. */
export function seriesKeyOf(environment: string, source: string, metric: string): SeriesKey {
  return environment === '' ? { source, metric } : { environment, source, metric };
}
