import { Module } from '@nestjs/common';
import { SETTINGS } from '../config/config.module';
import { projectionsFile, type Settings } from '../config/settings';
import { MetricsModule } from '../metrics/metrics.module';
import { CheckpointProjection } from './checkpoint.projection';
import { CheckpointStore } from './checkpoint-store';
import { ReplayController } from './replay.controller';
import { ReplayService } from './replay.service';

/** Replay of past windows: dashboard checkpoints (projections.db), the replay stream, markers. */
@Module({
  imports: [MetricsModule],
  controllers: [ReplayController],
  providers: [
    {
      provide: CheckpointStore,
      inject: [SETTINGS],
      useFactory: (settings: Settings): Promise<CheckpointStore> => CheckpointStore.open({ file: projectionsFile(settings) }),
    },
    CheckpointProjection,
    ReplayService,
  ],
  exports: [ReplayService, CheckpointStore, CheckpointProjection],
})
export class ReplayModule {}
