import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import type { VigilConfig } from '../config/vigil-config.schema';
import { MetricsController } from './metrics.controller';
import { MetricsService, TIME_SERIES_STORE } from './metrics.service';
import { SamplerService } from './sampler.service';
import { SqliteTimeSeriesStore } from './tsdb/sqlite-time-series-store';
import type { TimeSeriesStore } from './tsdb/time-series-store';

@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: TIME_SERIES_STORE,
      inject: [SETTINGS, VIGIL_CONFIG],
      useFactory: (settings: Settings, config: VigilConfig): Promise<TimeSeriesStore> => {
        ensureDataDir(settings.dataDir);
        return SqliteTimeSeriesStore.open({ file: join(settings.dataDir, 'metrics.db'), retention: config.metrics.retention });
      },
    },
    MetricsService,
    SamplerService,
  ],
  exports: [MetricsService, SamplerService, TIME_SERIES_STORE],
})
export class MetricsModule {}
