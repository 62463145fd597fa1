import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { StreamingModule } from '../streaming/streaming.module';
import { HealthController } from './health.controller';

@Module({ imports: [StreamingModule, MetricsModule], controllers: [HealthController] })
export class HealthModule {}
