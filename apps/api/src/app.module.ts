import { OpenApiModule } from './openapi/openapi.module';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiExceptionFilter } from './web/api-exception.filter';
import { AlertRuleToolsModule } from './alert-rule-tools/alert-rule-tools.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ClusterModule } from './cluster/cluster.module';
import { CommandsModule } from './commands/commands.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { HostsModule } from './hosts/hosts.module';
import { IncidentsModule } from './incidents/incidents.module';
import { MetricsModule } from './metrics/metrics.module';
import { ReplayModule } from './replay/replay.module';
import { ServicesModule } from './services/services.module';
import { StreamingModule } from './streaming/streaming.module';
import { TelemetryModule } from './telemetry/telemetry.module';

@Module({
  imports: [
    ConfigModule,
    // Before every module whose stores use the pool: it ends after they have flushed.
    DatabaseModule,
    // After the pool (which it uses), before the stores that stamp its node name.
    ClusterModule,
    EventStoreModule,
    AuthModule,
    CqrsModule.forRoot(),
    ScheduleModule.forRoot(),
    TelemetryModule,
    MetricsModule,
    StreamingModule,
    CommandsModule,
    HostsModule,
    HealthModule,
    AuditModule,
    ServicesModule,
    AlertsModule,
    ReplayModule,
    AlertRuleToolsModule,
    OpenApiModule,
    IncidentsModule,
  ],
  providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }],
})
export class AppModule {}
