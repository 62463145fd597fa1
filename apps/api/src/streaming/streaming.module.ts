import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { DashboardProjection } from './dashboard.projection';
import { StreamController } from './stream.controller';
import { StreamHub } from './stream-hub.service';

@Module({
  imports: [MetricsModule],
  controllers: [StreamController],
  providers: [StreamHub, DashboardProjection],
  exports: [StreamHub, DashboardProjection],
})
export class StreamingModule {}
