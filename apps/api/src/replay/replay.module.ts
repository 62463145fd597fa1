import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { MetricsModule } from '../metrics/metrics.module';
import { LogReplayService } from './log-replay.service';
import { ReplayController } from './replay.controller';
import { ReplayService } from './replay.service';

/** Replay of past windows of the live log: the replay stream, markers, info (checkpoints come from the dashboard module). */
@Module({
  imports: [MetricsModule, DashboardModule],
  controllers: [ReplayController],
  providers: [{ provide: ReplayService, useClass: LogReplayService }],
  exports: [ReplayService],
})
export class ReplayModule {}
