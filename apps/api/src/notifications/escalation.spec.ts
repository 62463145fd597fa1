import type { StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { raised, waitFor, WebhookReceiver } from '../../../../test/support/notification-fixtures';
import { notificationsConfigSchema } from '../config/notifications-config.schema';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { Escalations } from './escalations';
import { NotificationService, NOTIFICATIONS_STREAM } from './notification.service';

/** Escalation is driven by the clock handed to tick() (the evaluator's), never by sleeping for minutes. */
describe('escalation', () => {
  let dir: string;
  let store: SqliteEventStore;
  let service: NotificationService | undefined;
  let first: WebhookReceiver;
  let second: WebhookReceiver;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-escalate-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    first = await new WebhookReceiver().start();
    second = await new WebhookReceiver().start();
    service = new NotificationService(
      notificationsConfigSchema.parse({
        groupWindowSeconds: 0.02,
        retry: { initialBackoffMs: 20 },
        targets: [
          { type: 'webhook', name: 'chat', url: first.url },
          { type: 'webhook', name: 'pager', url: second.url },
        ],
        routes: [{ targets: ['chat'], escalate: [{ afterMinutes: 5, targets: ['pager'] }] }],
      }),
      store,
    );
  });

  afterEach(async () => {
    await service?.close();
    await first.stop();
    await second.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const outcomes = async (): Promise<StoredEvent[]> => store.readStream(NOTIFICATIONS_STREAM);

  it('sends an unacknowledged alert to the next targets once its time has passed, once', async () => {
    const event = raised('esc-1');
    const firedAt = Date.parse(event.time);
    service!.enqueue(event, { silenced: false });
    await waitFor(() => first.requests.length === 1);
    service!.tick(firedAt + 4 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(second.requests).toHaveLength(0);
    service!.tick(firedAt + 5 * 60_000);
    await waitFor(() => second.requests.length === 1);
    service!.tick(firedAt + 60 * 60_000);
    await waitFor(async () => (await outcomes()).filter((e) => e.type === 'notification.delivered').length === 2);
    const escalated = (await outcomes()).filter((e) => e.type === 'notification.escalated');
    expect(escalated.map((e) => e.data)).toEqual([{ alertId: 'esc-1', step: 0, afterMinutes: 5, targets: ['pager'] }]);
    expect(second.requests).toHaveLength(1);
    expect((second.requests[0].body as { alerts: { alertId: string }[] }).alerts.map((a) => a.alertId)).toEqual(['esc-1']);
  });

  it('escalates nothing after an acknowledgement', async () => {
    const event = raised('esc-2');
    service!.enqueue(event, { silenced: false });
    await waitFor(() => first.requests.length === 1);
    service!.acknowledged('esc-2');
    service!.tick(Date.parse(event.time) + 60 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(second.requests).toHaveLength(0);
    expect((await outcomes()).some((e) => e.type === 'notification.escalated')).toBe(false);
  });
});

describe('Escalations (pure)', () => {
  it('gives each step once, in order of its delay, and forgets an alert once all are sent or it is stopped', () => {
    const plans = new Escalations();
    plans.plan('a', 0, [
      { afterMinutes: 30, targets: ['boss'] },
      { afterMinutes: 10, targets: ['pager'] },
    ]);
    plans.plan('b', 0, [{ afterMinutes: 10, targets: ['pager'] }]);
    expect(plans.due(9 * 60_000)).toEqual([]);
    expect(plans.due(10 * 60_000).map((d) => [d.alertId, d.targets])).toEqual([
      ['a', ['pager']],
      ['b', ['pager']],
    ]);
    plans.stop('a');
    expect(plans.due(60 * 60_000)).toEqual([]);
    expect(plans.size).toBe(0);
  });
});
