import type { MetricInfo } from '@vigil/shared';

/** A source of samples, taken on its own interval by the sampler. */
export interface Collector {
  readonly source: string;
  /** Absent for host-wide sources. */
  readonly environment?: string;
  readonly intervalMs: number;
  /** A collection taking longer than this is reported as failed. */
  readonly timeoutMs: number;
  collect(): Promise<Record<string, number>>;
  /** Unit and kind of one of this collector's metric names. */
  describe(metric: string): MetricInfo;
}
