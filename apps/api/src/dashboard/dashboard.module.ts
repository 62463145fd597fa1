import { Module } from '@nestjs/common';
import type pg from 'pg';
import { SETTINGS } from '../config/config.module';
import { projectionsFile, type Settings } from '../config/settings';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { postgresOf } from '../database/read-model-engine';
import { MetricsModule } from '../metrics/metrics.module';
import { CheckpointProjection } from './checkpoint.projection';
import { CheckpointStore } from './checkpoint-store';
import { PgCheckpointStore } from './pg-checkpoint-store';
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
      inject: [SETTINGS, DATABASE_SETTINGS, PG_POOL],
      useFactory: (settings: Settings, database: DatabaseSettings, pool: pg.Pool | null): Promise<CheckpointStore> => {
        const postgres = postgresOf(database, pool);
        return postgres ? PgCheckpointStore.open(postgres) : SqliteCheckpointStore.open({ file: projectionsFile(settings) });
      },
    },
    CheckpointProjection,
    DashboardProjection,
  ],
  exports: [CheckpointStore, CheckpointProjection, DashboardProjection],
})
export class DashboardModule {}
