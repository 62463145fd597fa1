import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { CommandsModule } from './commands/commands.module';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { StreamingModule } from './streaming/streaming.module';

@Module({
  imports: [
    ConfigModule,
    EventStoreModule,
    CqrsModule.forRoot(),
    StreamingModule,
    CommandsModule,
    HealthModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class AppModule {}
