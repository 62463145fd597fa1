import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DashboardModule } from '../dashboard/dashboard.module';
import { MetricsModule } from '../metrics/metrics.module';
import { StreamController } from './stream.controller';
import { StreamHub } from './stream-hub.service';
import { UserStreamsBridge } from './user-streams.bridge';

@Module({
  imports: [MetricsModule, AuthModule, DashboardModule],
  controllers: [StreamController],
  providers: [StreamHub, UserStreamsBridge],
  exports: [StreamHub],
})
export class StreamingModule {}
