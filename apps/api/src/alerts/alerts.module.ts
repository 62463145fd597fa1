import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AlertRulesController } from './alert-rules.controller';
import { AlertsController, SilencesController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Rules, evaluation, alert views, acknowledge and silence. Delivery is the Notifier's (notifications/). */
@Module({
  imports: [MetricsModule, NotificationsModule],
  controllers: [AlertsController, SilencesController, AlertRulesController],
  providers: [AlertsService],
  exports: [AlertsService],
})
export class AlertsModule {}
