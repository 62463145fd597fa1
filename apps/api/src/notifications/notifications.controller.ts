import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { can, notificationListQuerySchema, type NotificationAttempt, type StoredEvent } from '@vigil/shared';
import type { Request } from 'express';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { EventStore } from '../event-store/event-store';
import { NOTIFICATIONS_STREAM } from './notification.service';

function attemptOf(event: StoredEvent): NotificationAttempt | undefined {
  const base = { position: event.position, time: event.time, ...(event.meta.environment ? { environment: event.meta.environment } : {}) };
  switch (event.type) {
    case 'notification.delivered':
      return { ...base, kind: 'delivered', targets: [event.data.target], alertIds: event.data.alertIds, attempt: event.data.attempt };
    case 'notification.failed': {
      const { target, alertIds, attempt, error, final } = event.data;
      return { ...base, kind: 'failed', targets: [target], alertIds, attempt, error, final };
    }
    case 'notification.escalated': {
      const { targets, alertId, step, afterMinutes } = event.data;
      return { ...base, kind: 'escalated', targets, alertIds: [alertId], step, afterMinutes };
    }
    default:
      return undefined;
  }
}

/** GET /api/notifications: every delivery attempt (outcome, retries) and escalation, newest first, filterable. */
@Controller('api/notifications')
export class NotificationsController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get()
  async list(@Query() query: unknown, @Req() request: Request): Promise<{ attempts: NotificationAttempt[] }> {
    const q = parseOrThrow(notificationListQuerySchema, query ?? {}, 'query');
    const { user } = requireSession(request);
    const from = q.from ? Date.parse(q.from) : -Infinity;
    const to = q.to ? Date.parse(q.to) : Infinity;
    const attempts: NotificationAttempt[] = [];
    const events = await this.store.readStream(NOTIFICATIONS_STREAM);
    for (let i = events.length - 1; i >= 0 && attempts.length < q.limit; i--) {
      const attempt = attemptOf(events[i]);
      if (!attempt || !can(user, { kind: 'view', environment: attempt.environment })) continue;
      const time = Date.parse(attempt.time);
      if (time < from || time > to) continue;
      if (q.kind && attempt.kind !== q.kind) continue;
      if (q.target && !attempt.targets.includes(q.target)) continue;
      if (q.alertId && !attempt.alertIds.includes(q.alertId)) continue;
      attempts.push(attempt);
    }
    return { attempts };
  }
}
