import type { OwnMetrics } from '../../telemetry/own-metrics';
import type { Collector } from './collector';
import { describeMetric, ratePerSecond } from './metric-units';

/** Vigil itself: streams, request and append rates, event-loop lag, memory. */
export class VigilCollector implements Collector {
  readonly source = 'vigil';
  readonly environment = undefined;
  private previous?: { at: number; httpRequests: number; eventsAppended: number };

  constructor(
    private readonly own: OwnMetrics,
    readonly intervalMs: number,
    readonly timeoutMs: number,
  ) {}

  describe = describeMetric;

  /** Synchronous (everything it reads is in memory), behind the Collector's promise. */
  collect(): Promise<Record<string, number>> {
    const now = Date.now();
    const memory = process.memoryUsage();
    const { httpRequests, eventsAppended } = this.own.totals;
    const elapsed = now - (this.previous?.at ?? now);
    const values: Record<string, number> = {
      stream_clients: this.own.totals.streamClients,
      rss_bytes: memory.rss,
      heap_used_bytes: memory.heapUsed,
      // The histogram is in nanoseconds; reset so each sample covers its own interval.
      event_loop_lag_ms: Number.isFinite(this.own.loopDelay.mean) ? this.own.loopDelay.mean / 1e6 : 0,
      event_loop_lag_p99_ms: this.own.loopDelay.percentile(99) / 1e6,
    };
    this.own.loopDelay.reset();
    const requestRate = ratePerSecond(this.previous?.httpRequests, httpRequests, elapsed);
    const appendRate = ratePerSecond(this.previous?.eventsAppended, eventsAppended, elapsed);
    if (requestRate !== undefined) values.http_requests_per_s = requestRate;
    if (appendRate !== undefined) values.events_appended_per_s = appendRate;
    this.previous = { at: now, httpRequests, eventsAppended };
    return Promise.resolve(values);
  }
}
