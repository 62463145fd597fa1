import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { Supervisor } from './supervisor.service';

/**
 * Real child processes for the configured services. EventStore, SETTINGS and
 * VIGIL_CONFIG come from global modules; SamplerService from MetricsModule.
 */
@Module({
  imports: [MetricsModule],
  providers: [Supervisor],
  exports: [Supervisor],
})
export class SupervisorModule {}
