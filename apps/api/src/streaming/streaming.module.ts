import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ReplayModule } from '../replay/replay.module';
import { DashboardProjection } from './dashboard.projection';
import { StreamController } from './stream.controller';
import { StreamHub } from './stream-hub.service';
import { UserStreamsBridge } from './user-streams.bridge';

@Module({
  imports: [MetricsModule, AuthModule, ReplayModule],
  controllers: [StreamController],
  providers: [StreamHub, DashboardProjection, UserStreamsBridge],
  exports: [StreamHub, DashboardProjection],
})
export class StreamingModule {}
