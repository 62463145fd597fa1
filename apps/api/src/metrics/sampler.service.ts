import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Subscription } from 'rxjs';
import { Cluster } from '../cluster/cluster';
import { SingleNodeCluster } from '../cluster/single-node-cluster';
import { whileLeader } from '../cluster/while-leader';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { OwnMetrics } from '../telemetry/own-metrics';
import type { Collector } from './collectors/collector';
import { HostStorageCollector } from './collectors/host-storage.collector';
import { HostCollector } from './collectors/host.collector';
import { PrometheusScrapeCollector } from './collectors/prometheus-scrape.collector';
import { VigilCollector } from './collectors/vigil.collector';
import { MetricsService, type SampleOrigin } from './metrics.service';

/** Failures are logged at most this often per source; every one still goes out as a sample. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

/** In a cluster, this node's own machine and process as `host@<node>`, `vigil@<node>`: one series per node. */
function ofNode(collector: Collector, node: string): Collector {
  return {
    source: `${collector.source}@${node}`,
    environment: collector.environment,
    intervalMs: collector.intervalMs,
    timeoutMs: collector.timeoutMs,
    collect: () => collector.collect(),
    describe: (metric) => collector.describe(metric),
  };
}

/**
 * Runs every collector on its own interval (@nestjs/schedule's registry). A
 * collector that throws or times out yields a sample with `error` and a log
 * line; the others go on. A collection still running when its next tick comes
 * is not started twice.
 */
@Injectable()
export class SamplerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Sampler');
  private scraping?: Subscription;
  private readonly running = new Set<string>();
  private readonly lastFailureLog = new Map<string, number>();

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(OwnMetrics) private readonly own: OwnMetrics,
    @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry,
    @Inject(Cluster) private readonly cluster: Cluster = new SingleNodeCluster(),
  ) {}

  onApplicationBootstrap(): void {
    const m = this.config.metrics;
    const timeoutMs = m.collectorTimeoutSeconds * 1000;
    const own = (collector: Collector): Collector => (this.cluster.clustered ? ofNode(collector, this.cluster.nodeName) : collector);
    this.add(own(new HostCollector(m.host.intervalSeconds * 1000, Math.min(timeoutMs, m.host.intervalSeconds * 1000))));
    this.add(own(new HostStorageCollector(m.host.storageIntervalSeconds * 1000, timeoutMs)));
    this.add(own(new VigilCollector(this.own, m.vigil.intervalSeconds * 1000, Math.min(timeoutMs, m.vigil.intervalSeconds * 1000))));
    // Shared scrape targets are scraped once per cluster: by the leader.
    const scrapes = m.scrape.map((target) => {
      const intervalMs = target.intervalSeconds * 1000;
      const scrapeTimeoutMs = target.timeoutSeconds === undefined ? Math.min(timeoutMs, intervalMs) : target.timeoutSeconds * 1000;
      return new PrometheusScrapeCollector({ ...target, intervalMs, timeoutMs: scrapeTimeoutMs });
    });
    if (scrapes.length === 0) return;
    this.scraping = whileLeader(
      this.cluster,
      'scraping',
      {
        start: () => {
          for (const collector of scrapes) this.add(collector, 'scrape');
        },
        stop: () => {
          for (const collector of scrapes) this.remove(collector.source, collector.environment);
        },
      },
      this.logger,
    );
  }

  onModuleDestroy(): void {
    this.scraping?.unsubscribe();
  }

  /** Schedules a collector; later features add theirs (e.g. supervised services). */
  add(collector: Collector, origin: SampleOrigin = 'collector'): void {
    const name = `metrics:${collector.environment ?? '*'}/${collector.source}`;
    if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    const timer = setInterval(() => void this.sample(collector, origin), collector.intervalMs);
    timer.unref();
    this.scheduler.addInterval(name, timer);
    void this.sample(collector, origin);
  }

  remove(source: string, environment?: string): void {
    const name = `metrics:${environment ?? '*'}/${source}`;
    if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
  }

  /** One collection: exported so tests can drive a collector without timers. */
  async sample(collector: Collector, origin: SampleOrigin = 'collector'): Promise<void> {
    const key = `${collector.environment ?? '*'}/${collector.source}`;
    if (this.running.has(key)) return;
    this.running.add(key);
    const time = new Date().toISOString();
    try {
      const values = await withTimeout(collector.collect(), collector.timeoutMs);
      this.metrics.publish(
        { environment: collector.environment, source: collector.source, time, values },
        (metric) => collector.describe(metric),
        origin,
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.own.collectorFailures.inc({ source: collector.source });
      this.metrics.publish(
        { environment: collector.environment, source: collector.source, time, values: {}, error: message },
        (metric) => collector.describe(metric),
        origin,
      );
      const last = this.lastFailureLog.get(key) ?? 0;
      if (Date.now() - last >= FAILURE_LOG_INTERVAL_MS) {
        this.lastFailureLog.set(key, Date.now());
        this.logger.warn(`collector ${key} failed: ${message}`);
      }
    } finally {
      this.running.delete(key);
    }
  }
}
