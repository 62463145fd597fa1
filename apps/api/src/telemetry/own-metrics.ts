import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';

/**
 * Vigil's own health figures, in one prom-client registry: exposed at GET /metrics
 * for Prometheus, and sampled every second as the `vigil` metrics source.
 */
@Injectable()
export class OwnMetrics implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'vigil_http_requests_total',
    help: 'HTTP requests answered, by status class',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly eventsAppended = new Counter({
    name: 'vigil_events_appended_total',
    help: 'Events committed to the event log',
    registers: [this.registry],
  });
  readonly streamClients = new Gauge({
    name: 'vigil_stream_clients',
    help: 'Open SSE streams',
    registers: [this.registry],
  });
  readonly streamOpens = new Counter({
    name: 'vigil_stream_opens_total',
    help: 'SSE streams opened, by route: direct (ahead of Express) or framework (the Nest controller)',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly slowClientDisconnects = new Counter({
    name: 'vigil_stream_slow_disconnects_total',
    help: 'Streams cut off because the client fell too far behind',
    registers: [this.registry],
  });
  readonly metricSamples = new Counter({
    name: 'vigil_metric_samples_total',
    help: 'Metric samples taken, scraped or ingested',
    labelNames: ['origin'] as const,
    registers: [this.registry],
  });
  readonly collectorFailures = new Counter({
    name: 'vigil_collector_failures_total',
    help: 'Metric collections that failed or timed out',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  /** Event-loop delay since the last reset, for the `vigil` source. */
  readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  /** Plain running totals, cheaper to read than prom-client's async get(). */
  readonly totals = { httpRequests: 0, eventsAppended: 0, streamClients: 0 };
  private subscription?: Subscription;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    // prom-client's `*_active_*_total` are gauges, and `_total` is for counters (promtool
    // check metrics says so): the per-type gauges without `_total` carry the same figures.
    for (const kind of ['handles', 'requests', 'resources']) this.registry.removeSingleMetric(`vigil_nodejs_active_${kind}_total`);
  }

  onModuleInit(): void {
    this.loopDelay.enable();
    this.subscription = this.store.events$.subscribe(() => {
      this.eventsAppended.inc();
      this.totals.eventsAppended += 1;
    });
  }

  setStreamClients(count: number): void {
    this.streamClients.set(count);
    this.totals.streamClients = count;
  }

  countRequest(status: number): void {
    this.httpRequests.inc({ status: `${Math.floor(status / 100)}xx` });
    this.totals.httpRequests += 1;
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.loopDelay.disable();
  }
}
