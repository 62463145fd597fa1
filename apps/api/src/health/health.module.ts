import { Module } from '@nestjs/common';
import { StreamingModule } from '../streaming/streaming.module';
import { HealthController } from './health.controller';

@Module({ imports: [StreamingModule], controllers: [HealthController] })
export class HealthModule {}
