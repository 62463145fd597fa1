import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiExceptionFilter } from './web/api-exception.filter';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CommandsModule } from './commands/commands.module';
import { ConfigModule } from './config/config.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { MetricsModule } from './metrics/metrics.module';
import { ReplayModule } from './replay/replay.module';
import { ServicesModule } from './services/services.module';
import { StreamingModule } from './streaming/streaming.module';
import { TelemetryModule } from './telemetry/telemetry.module';

@Module({
  imports: [
    ConfigModule,
    EventStoreModule,
    AuthModule,
    CqrsModule.forRoot(),
    ScheduleModule.forRoot(),
    TelemetryModule,
    MetricsModule,
    StreamingModule,
    CommandsModule,
    HealthModule,
    AuditModule,
    ServicesModule,
    AlertsModule,
    ReplayModule,
    IncidentsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class AppModule {}
