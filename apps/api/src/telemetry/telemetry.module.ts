import { Global, Module } from '@nestjs/common';
import { OwnMetrics } from './own-metrics';
import { PrometheusController } from './prometheus.controller';

@Global()
@Module({
  controllers: [PrometheusController],
  providers: [OwnMetrics],
  exports: [OwnMetrics],
})
export class TelemetryModule {}
