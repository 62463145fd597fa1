import { Module } from '@nestjs/common';
import { join } from 'node:path';
import type pg from 'pg';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import type { VigilConfig } from '../config/vigil-config.schema';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { postgresOf } from '../database/read-model-engine';
import { ClusterSampleRelay } from './cluster-sample-relay';
import { MetricsController } from './metrics.controller';
import { MetricsService, TIME_SERIES_STORE } from './metrics.service';
import { SamplerService } from './sampler.service';
import { PgTimeSeriesStore } from './tsdb/pg-time-series-store';
import { SqliteTimeSeriesStore } from './tsdb/sqlite-time-series-store';
import type { TimeSeriesStore } from './tsdb/time-series-store';

@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: TIME_SERIES_STORE,
      inject: [SETTINGS, VIGIL_CONFIG, DATABASE_SETTINGS, PG_POOL],
      useFactory: (settings: Settings, config: VigilConfig, database: DatabaseSettings, pool: pg.Pool | null): Promise<TimeSeriesStore> => {
        // VIGIL_DATABASE_URL: the tiers live in PostgreSQL, shared by every node; else metrics.db.
        const postgres = postgresOf(database, pool);
        if (postgres) return PgTimeSeriesStore.open({ ...postgres, retention: config.metrics.retention });
        ensureDataDir(settings.dataDir);
        return SqliteTimeSeriesStore.open({ file: join(settings.dataDir, 'metrics.db'), retention: config.metrics.retention });
      },
    },
    MetricsService,
    SamplerService,
    ClusterSampleRelay,
  ],
  exports: [MetricsService, SamplerService, TIME_SERIES_STORE],
})
export class MetricsModule {}
