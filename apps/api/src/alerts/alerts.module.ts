import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertRuleChangesController } from './alert-rule-changes.controller';
import { AlertRulesController } from './alert-rules.controller';
import { AlertsController, SilenceChangesController } from './alerts.controller';
import { AlertsReadModel } from './alerts-read-model';
import { AlertsService } from './alerts.service';
import { SilencesController } from './silences.controller';

/** Rules, evaluation, alert views, acknowledge and silence. Delivery is the Notifier's (notifications/). */
@Module({
  imports: [MetricsModule, NotificationsModule, HostsModule],
  controllers: [AlertsController, SilencesController, SilenceChangesController, AlertRulesController, AlertRuleChangesController],
  providers: [AlertsService, { provide: AlertsReadModel, useExisting: AlertsService }],
  exports: [AlertsService],
})
export class AlertsModule {}
