import type { StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertEvent, raised, waitFor, WebhookReceiver } from '../../../../test/support/notification-fixtures';
import { notificationsConfigSchema } from '../config/notifications-config.schema';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { retryAfterMs } from './http-delivery';
import { NotificationService, NOTIFICATIONS_STREAM } from './notification.service';

/** Issue 17, point 1: the Alertmanager webhook body, Slack's escaped fallback text, Retry-After and permanent 4xx. */
describe('NotificationService: Alertmanager format and delivery rules', () => {
  let dir: string;
  let store: SqliteEventStore;
  let service: NotificationService | undefined;
  let hook: WebhookReceiver;

  const fast = { groupWindowSeconds: 0.05, retry: { initialBackoffMs: 20 }, timeoutSeconds: 2, externalUrl: 'http://vigil.example:3000' };

  function create(config: unknown): NotificationService {
    service = new NotificationService(notificationsConfigSchema.parse(config), store);
    return service;
  }

  async function outcomes(): Promise<StoredEvent[]> {
    return (await store.readStream(NOTIFICATIONS_STREAM)).filter((event) => event.type.startsWith('notification.'));
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-am-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    hook = await new WebhookReceiver().start();
  });

  afterEach(async () => {
    await service?.close();
    service = undefined;
    await hook.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('format alertmanager: the version 4 webhook body, firing then resolved with startsAt and the last value', async () => {
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'am-hook', url: hook.url, format: 'alertmanager' }],
      routes: [{ targets: ['am-hook'] }],
    });
    notifier.enqueue(raised('a1', { startedAt: '2026-12-03T10:00:00.000Z' }), { silenced: false });
    await waitFor(() => hook.requests.length === 1);
    const firing = hook.requests[0].body as Record<string, unknown> & { alerts: Record<string, unknown>[] };
    expect(firing).toEqual({
      version: '4',
      groupKey: expect.stringContaining('am-hook') as string,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'am-hook',
      groupLabels: {},
      commonLabels: {
        alertname: 'cpu-high',
        severity: 'critical',
        environment: 'production',
        source: 'api-server',
        metric: 'cpu.percent',
        team: 'ops',
      },
      commonAnnotations: expect.objectContaining({
        description: 'CPU at 97.5% on api-server',
        value: '97.5',
        threshold: '90',
        vigil_alert_id: 'a1',
      }) as object,
      externalURL: 'http://vigil.example:3000',
      alerts: [
        {
          status: 'firing',
          labels: expect.objectContaining({ alertname: 'cpu-high' }) as object,
          annotations: expect.objectContaining({ summary: expect.stringContaining('cpu-high') as string }) as object,
          startsAt: '2026-12-03T10:00:00.000Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://vigil.example:3000/alerts?alert=a1',
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
        },
      ],
    });

    notifier.enqueue(alertEvent('alert.resolved', { alertId: 'a1', rule: 'cpu-high', value: 42, resolvedAt: '2026-12-03T10:05:00.000Z' }), {
      silenced: false,
    });
    await waitFor(() => hook.requests.length === 2);
    const resolved = hook.requests[1].body as { status: string; alerts: Record<string, unknown>[] };
    expect(resolved.status).toBe('resolved');
    expect(resolved.alerts[0]).toMatchObject({
      status: 'resolved',
      startsAt: '2026-12-03T10:00:00.000Z',
      endsAt: '2026-12-03T10:05:00.000Z',
      annotations: expect.objectContaining({ value: '42' }) as object,
      // Same labels as when it fired: the same alert to any receiver.
      fingerprint: firing.alerts[0].fingerprint,
    });
  });

  it('json format: a resolved notice carries its startsAt and the last value', async () => {
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'j', url: hook.url, format: 'json' }],
      routes: [{ targets: ['j'] }],
    });
    notifier.enqueue(raised('j1', { startedAt: '2026-12-03T09:00:00.000Z' }), { silenced: false });
    await waitFor(() => hook.requests.length === 1);
    notifier.enqueue(
      alertEvent('alert.resolved', { alertId: 'j1', rule: 'cpu-high', value: 12.5, resolvedAt: '2026-12-03T09:10:00.000Z' }),
      { silenced: false },
    );
    await waitFor(() => hook.requests.length === 2);
    expect((hook.requests[1].body as { alerts: unknown[] }).alerts[0]).toMatchObject({
      status: 'resolved',
      startsAt: '2026-12-03T09:00:00.000Z',
      endsAt: '2026-12-03T09:10:00.000Z',
      value: 12.5,
    });
  });

  it('slack: the fallback text is escaped like the blocks (no <!channel>, no links, no stray &)', async () => {
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 's', url: hook.url, format: 'slack' }],
      routes: [{ targets: ['s'] }],
    });
    notifier.enqueue(raised('s1', { message: '<!channel> disk & <http://evil|click>' }), { silenced: false });
    await waitFor(() => hook.requests.length === 1);
    const { text } = hook.requests[0].body as { text: string };
    expect(text).toContain('&lt;!channel&gt; disk &amp; &lt;http://evil|click&gt;');
    expect(text).not.toMatch(/[<>]/);
  });

  it('honours Retry-After on 429: the next attempt comes after it, not after the (long) backoff', async () => {
    hook.statuses = [429];
    hook.responseHeaders = [{ 'retry-after': '1' }];
    const notifier = create({
      ...fast,
      retry: { attempts: 3, initialBackoffMs: 600_000, maxBackoffMs: 600_000 },
      targets: [{ type: 'webhook', name: 'limited', url: hook.url, format: 'json' }],
      routes: [{ targets: ['limited'] }],
    });
    notifier.enqueue(raised('r1'), { silenced: false });
    // With the 10-minute backoff, only the Retry-After of 1 s can bring the second attempt.
    await waitFor(async () => (await outcomes()).some((event) => event.type === 'notification.delivered'), 10_000);
    expect(hook.requests).toHaveLength(2);
    expect((await outcomes()).map((event) => event.type)).toEqual(['notification.failed', 'notification.delivered']);
  });

  it('does not retry a permanent 4xx: one attempt, recorded final', async () => {
    hook.statuses = [400, 400, 400];
    const notifier = create({
      ...fast,
      retry: { attempts: 5, initialBackoffMs: 10 },
      targets: [{ type: 'webhook', name: 'bad', url: hook.url, format: 'json' }],
      routes: [{ targets: ['bad'] }],
    });
    notifier.enqueue(raised('b1'), { silenced: false });
    await waitFor(async () => (await outcomes()).length === 1);
    // A retry would have come after 10 ms; give it far longer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hook.requests).toHaveLength(1);
    const [event] = await outcomes();
    expect(event.data).toMatchObject({ attempt: 1, final: true, error: expect.stringContaining('HTTP 400') as string });
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Thu, 03 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
