import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Public } from '../auth/public.decorator';
import { replayResources } from '../replay/replay-writer';
import { HealthSource, type ClusterHealth } from './health-source';

export interface HealthReport extends Partial<ClusterHealth> {
  status: 'ok';
  mode: 'live' | 'review';
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

/** GET /api/health: no auth, cheap, for load balancers and the tests (the live server and a review server alike). */
@Public()
@Controller('api/health')
export class HealthController {
  constructor(@Inject(HealthSource) private readonly source: HealthSource) {}

  @Get()
  health(@Query('gc') gc?: string): HealthReport {
    // Leak tests start the server with --expose-gc and ask for a collection first;
    // in a normal run global.gc does not exist and this is a no-op.
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc === '1' && collect) collect();
    const memory = process.memoryUsage();
    return {
      status: 'ok',
      mode: this.source.mode,
      uptimeS: Math.round(process.uptime()),
      activeClients: this.source.activeClients(),
      eventLogPosition: this.source.eventLogPosition(),
      lastMetricAt: this.source.lastMetricAt(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      activeReplays: replayResources.open,
      replayTimers: replayResources.timers,
      ...this.source.cluster(),
    };
  }
}
