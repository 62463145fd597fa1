import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { EventMeta, NotificationTargetSummary, NotificationTestResult } from '@vigil/shared';
import { EventStore } from '../event-store/event-store';
import type { NotificationTarget } from '../config/notifications-config.schema';
import type { AlertNotice } from './notification-format';
import { NotificationService } from './notification.service';

export const TEST_MESSAGES_STREAM = 'notification-tests';

/** What a target is shown as: never its URL path, query or credentials. */
export function summarizeTarget(target: NotificationTarget): NotificationTargetSummary {
  if (target.type === 'webhook')
    return { name: target.name, type: 'webhook', destination: new URL(target.url).host, format: target.format };
  if (target.type === 'alertmanager') return { name: target.name, type: 'alertmanager', destination: new URL(target.url).host };
  return { name: target.name, type: 'email', destination: `${target.to.length} recipient${target.to.length === 1 ? '' : 's'}` };
}

/**
 * "Send test message" from the alert rules page: one attempt to one target, in the
 * target's own format, with a notice that says it is a test; the outcome is recorded
 * (`notification.tested`) so the audit trail shows who tested what and how it went.
 */
@Injectable()
export class TestMessages {
  constructor(
    @Inject(NotificationService) private readonly notifications: NotificationService,
    @Inject(EventStore) private readonly store: EventStore,
  ) {}

  list(): NotificationTargetSummary[] {
    return this.notifications.targets().map(summarizeTarget);
  }

  async send(name: string, meta: EventMeta): Promise<NotificationTestResult> {
    const target = this.notifications.targets().find((candidate) => candidate.name === name);
    if (!target) throw new NotFoundException({ message: `no notification target "${name}"` });
    const by = meta.actor?.username ?? 'someone';
    const notice: AlertNotice = {
      status: 'firing',
      alertId: `test-${Date.now().toString(36)}`,
      rule: 'vigil-test-message',
      severity: 'info',
      source: 'vigil',
      labels: { test: 'true' },
      message: `Test message from Vigil, sent by ${by}: this target is reachable.`,
      time: new Date().toISOString(),
      position: this.store.position,
    };
    let error: string | undefined;
    try {
      await this.notifications.sendOnce(target, [notice]);
    } catch (caught) {
      error = caught instanceof Error ? caught.message.slice(0, 300) : String(caught);
    }
    const data = { target: name, ok: error === undefined, ...(error === undefined ? {} : { error }) };
    const [stored] = await this.store.append(TEST_MESSAGES_STREAM, 'any', [{ type: 'notification.tested', data }], meta);
    return { ...data, position: stored.position };
  }
}
