import { Module } from '@nestjs/common';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { NOTIFICATIONS_CONFIG, NotificationService } from './notification.service';
import { notificationsConfigSchema, type NotificationsConfig } from '../config/notifications-config.schema';
import { NotificationTargetsController } from './notification-targets.controller';
import { NotificationsController } from './notifications.controller';
import { Notifier } from './notifier';
import { ApprovalRequestNotices } from './approval-request-notices';
import { TestMessages } from './test-messages';

/**
 * Alert notifications (webhooks, email). Exports `Notifier`, which the alerts module
 * injects. VIGIL_CONFIG and EventStore come from global modules.
 */
@Module({
  controllers: [NotificationTargetsController, NotificationsController],
  providers: [
    TestMessages,
    ApprovalRequestNotices,
    {
      provide: NOTIFICATIONS_CONFIG,
      inject: [VIGIL_CONFIG],
      // Parsing again is idempotent once `notifications` is part of vigilConfigSchema,
      // and gives the defaults (no targets) until it is.
      useFactory: (config: VigilConfig): NotificationsConfig =>
        notificationsConfigSchema.parse((config as { notifications?: unknown }).notifications ?? {}),
    },
    NotificationService,
    { provide: Notifier, useExisting: NotificationService },
  ],
  exports: [Notifier],
})
export class NotificationsModule {}
