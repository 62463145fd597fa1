import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { replayResources } from '../replay/replay-writer';
import { StreamHub } from '../streaming/stream-hub.service';

export interface HealthReport {
  status: 'ok';
  uptimeS: number;
  activeClients: number;
  eventLogPosition: number;
  lastMetricAt: string | null;
  rssBytes: number;
  heapUsedBytes: number;
  /** Replay streams open now, and the pacing timers they hold (both 0 when none runs). */
  activeReplays: number;
  replayTimers: number;
}

/** GET /api/health: no auth, cheap, for load balancers and the tests. */
@Public()
@Controller('api/health')
export class HealthController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(StreamHub) private readonly hub: StreamHub,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  @Get()
  health(@Query('gc') gc?: string): HealthReport {
    // Leak tests start the server with --expose-gc and ask for a collection first;
    // in a normal run global.gc does not exist and this is a no-op.
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc === '1' && collect) collect();
    const memory = process.memoryUsage();
    return {
      status: 'ok',
      uptimeS: Math.round(process.uptime()),
      activeClients: this.hub.activeClients,
      eventLogPosition: this.store.position,
      lastMetricAt: this.metrics.lastMetricAt,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      activeReplays: replayResources.open,
      replayTimers: replayResources.timers,
    };
  }
}
