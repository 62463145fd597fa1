import { Module } from '@nestjs/common';
import { StreamingModule } from '../streaming/streaming.module';
import { ServicesController } from './services.controller';

@Module({ imports: [StreamingModule], controllers: [ServicesController] })
export class ServicesModule {}
