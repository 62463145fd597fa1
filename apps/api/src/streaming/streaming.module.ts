import { Module } from '@nestjs/common';
import { DashboardProjection } from './dashboard.projection';
import { StreamController } from './stream.controller';
import { StreamHub } from './stream-hub.service';

@Module({
  controllers: [StreamController],
  providers: [StreamHub, DashboardProjection],
  exports: [StreamHub, DashboardProjection],
})
export class StreamingModule {}
