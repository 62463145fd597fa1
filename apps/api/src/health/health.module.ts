import { Module } from '@nestjs/common';
import { Cluster } from '../cluster/cluster';
import { EventStore } from '../event-store/event-store';
import { MetricsModule } from '../metrics/metrics.module';
import { MetricsService } from '../metrics/metrics.service';
import { StreamHub } from '../streaming/stream-hub.service';
import { StreamingModule } from '../streaming/streaming.module';
import { HealthController } from './health.controller';
import { HealthSource, LiveHealth } from './health-source';

@Module({
  imports: [StreamingModule, MetricsModule],
  controllers: [HealthController],
  providers: [
    {
      provide: HealthSource,
      inject: [EventStore, StreamHub, MetricsService, Cluster],
      useFactory: (store: EventStore, hub: StreamHub, metrics: MetricsService, cluster: Cluster): HealthSource =>
        new LiveHealth(store, hub, metrics, cluster),
    },
  ],
})
export class HealthModule {}
