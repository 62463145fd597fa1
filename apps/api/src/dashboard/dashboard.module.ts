import { Module } from '@nestjs/common';
import { SETTINGS } from '../config/config.module';
import { projectionsFile, type Settings } from '../config/settings';
import { MetricsModule } from '../metrics/metrics.module';
import { CheckpointProjection } from './checkpoint.projection';
import { CheckpointStore } from './checkpoint-store';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store';
import { DashboardProjection } from './dashboard.projection';

/**
 * The dashboard read model: the live state new streams start from (DashboardProjection)
 * and its checkpoints in projections.db, which the projection starts from and replay
 * snapshots fold from. Streaming, services and replay all read it; it reads none of them.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    {
      provide: CheckpointStore,
      inject: [SETTINGS],
      useFactory: (settings: Settings): Promise<CheckpointStore> => SqliteCheckpointStore.open({ file: projectionsFile(settings) }),
    },
    CheckpointProjection,
    DashboardProjection,
  ],
  exports: [CheckpointStore, CheckpointProjection, DashboardProjection],
})
export class DashboardModule {}
