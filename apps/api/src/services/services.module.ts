import { Module } from '@nestjs/common';
import { StreamingModule } from '../streaming/streaming.module';
import { EnvironmentsController } from './environments.controller';
import { ServicesController } from './services.controller';

@Module({ imports: [StreamingModule], controllers: [ServicesController, EnvironmentsController] })
export class ServicesModule {}
