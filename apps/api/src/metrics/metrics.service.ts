import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Cron, Interval } from '@nestjs/schedule';
import { metricSourceKey, type MetricInfo, type MetricSample } from '@vigil/shared';
import { Subject, type Observable } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { SingleNodeCluster } from '../cluster/single-node-cluster';
import { OwnMetrics } from '../telemetry/own-metrics';
import { TimeSeriesStore } from './tsdb/time-series-store';

/** The injection token of the time-series store: the abstract class (SQLite or PostgreSQL behind it). */
export const TIME_SERIES_STORE = TimeSeriesStore;

export type SampleOrigin = 'collector' | 'scrape' | 'ingest';

/**
 * Where every sample goes: live to the streams (samples$), into the time-series
 * store (batched, flushed every second), and into the latest-per-source map
 * that the stream snapshot carries.
 */
@Injectable()
export class MetricsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private readonly subject = new Subject<MetricSample>();
  private readonly localSubject = new Subject<MetricSample>();
  /** Every sample: this node's and (in a cluster) the other nodes'. */
  readonly samples$: Observable<MetricSample> = this.subject.asObservable();
  /** The samples this node took or received itself (what the cluster relay sends to the other nodes). */
  readonly localSamples$: Observable<MetricSample> = this.localSubject.asObservable();
  private readonly latestBySource = new Map<string, MetricSample>();
  private lastAt: string | null = null;

  constructor(
    @Inject(TIME_SERIES_STORE) private readonly tsdb: TimeSeriesStore,
    @Inject(OwnMetrics) private readonly own: OwnMetrics,
    @Inject(Cluster) private readonly cluster: Cluster = new SingleNodeCluster(),
  ) {}

  get lastMetricAt(): string | null {
    return this.lastAt;
  }

  latest(): MetricSample[] {
    return [...this.latestBySource.values()];
  }

  publish(sample: MetricSample, describe: (metric: string) => MetricInfo, origin: SampleOrigin): void {
    this.latestBySource.set(metricSourceKey(sample), sample);
    this.lastAt = sample.time;
    this.own.metricSamples.inc({ origin });
    const t = Date.parse(sample.time);
    const key = { environment: sample.environment, source: sample.source };
    const rows = [];
    for (const [metric, v] of Object.entries(sample.values)) {
      if (!Number.isFinite(v)) continue;
      const info = describe(metric);
      rows.push({ key: { ...key, metric }, unit: info.unit, kind: info.kind, t, v });
    }
    if (rows.length > 0) this.tsdb.write(rows);
    this.subject.next(sample);
    this.localSubject.next(sample);
  }

  /** A sample another node took (and stored): live to the streams and the latest map, not stored again. */
  publishRemote(sample: MetricSample): void {
    this.latestBySource.set(metricSourceKey(sample), sample);
    this.lastAt = sample.time;
    this.subject.next(sample);
  }

  /** A sample taken earlier (an agent's buffer, sent after a disconnection): into history only, not live. */
  backfill(sample: MetricSample, describe: (metric: string) => MetricInfo): void {
    const t = Date.parse(sample.time);
    const key = { environment: sample.environment, source: sample.source };
    const rows = [];
    for (const [metric, v] of Object.entries(sample.values)) {
      if (!Number.isFinite(v)) continue;
      const info = describe(metric);
      rows.push({ key: { ...key, metric }, unit: info.unit, kind: info.kind, t, v });
    }
    if (rows.length > 0) this.tsdb.write(rows);
  }

  /** Batched writes: one transaction a second, whatever the number of sources. */
  @Interval('metrics-flush', 1000)
  async flush(): Promise<void> {
    try {
      await this.tsdb.flush();
    } catch (error) {
      this.logger.error(`time-series flush failed: ${String(error)}`);
    }
  }

  @Cron('0 */10 * * * *', { name: 'metrics-retention' })
  async prune(): Promise<void> {
    // One pruning per cluster (the tiers are shared): the leader's.
    if (!this.cluster.isLeader()) return;
    try {
      const removed = await this.tsdb.prune();
      this.logger.log(`retention: removed ${removed.raw} raw chunks, ${removed.minute} minute and ${removed.hour} hour rollups`);
    } catch (error) {
      this.logger.error(`retention failed: ${String(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.subject.complete();
    this.localSubject.complete();
    await this.tsdb.close();
  }
}
