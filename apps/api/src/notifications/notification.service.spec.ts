import type { EventType, StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { alertEvent, raised, waitFor, WebhookReceiver } from '../../../../test/support/notification-fixtures';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { NotificationService, NOTIFICATIONS_STREAM } from './notification.service';
import { notificationsConfigSchema } from '../config/notifications-config.schema';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('NotificationService', () => {
  let dir: string;
  let store: SqliteEventStore;
  let service: NotificationService | undefined;
  const receivers: WebhookReceiver[] = [];

  async function receiver(): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  }

  function create(config: unknown): NotificationService {
    service = new NotificationService(notificationsConfigSchema.parse(config), store);
    return service;
  }

  async function outcomes(): Promise<StoredEvent[]> {
    return (await store.readStream(NOTIFICATIONS_STREAM)).filter((event) => event.type.startsWith('notification.'));
  }

  const fast = { groupWindowSeconds: 0.05, retry: { initialBackoffMs: 20 }, timeoutSeconds: 2 };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-notify-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });

  afterEach(async () => {
    await service?.close();
    service = undefined;
    for (const r of receivers.splice(0)) await r.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts a generic JSON payload and records notification.delivered', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'ops-json', url: hook.url, format: 'json', headers: { authorization: 'Bearer t0ken' } }],
      routes: [{ targets: ['ops-json'] }],
    });
    notifier.enqueue(raised('a1'), { silenced: false });
    await waitFor(async () => (await outcomes()).length === 1);

    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0].headers.authorization).toBe('Bearer t0ken');
    expect(hook.requests[0].headers['content-type']).toBe('application/json');
    const body = hook.requests[0].body as { alerts: Record<string, unknown>[]; summary: string };
    expect(body.summary).toBe('[CRITICAL] 1 alert firing');
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]).toMatchObject({
      status: 'firing',
      alertId: 'a1',
      rule: 'cpu-high',
      severity: 'critical',
      source: 'api-server',
      environment: 'production',
      metric: 'cpu.percent',
      value: 97.5,
      threshold: 90,
      labels: { team: 'ops' },
      message: 'CPU at 97.5% on api-server',
    });
    const [event] = await outcomes();
    expect(event.type).toBe('notification.delivered');
    expect(event.data).toEqual({ target: 'ops-json', alertIds: ['a1'], attempt: 1 });
    expect(event.meta.environment).toBe('production');
  });

  it('posts a Slack-compatible {text, blocks} payload', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'slack', url: hook.url, format: 'slack' }],
      routes: [{ targets: ['slack'] }],
    });
    notifier.enqueue(raised('s1', { message: '<b>&bold</b>' }), { silenced: false });
    await waitFor(() => hook.requests.length === 1);

    const body = hook.requests[0].body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toContain('[CRITICAL] 1 alert firing');
    expect(body.text).toContain('source=api-server');
    expect(body.text).toContain('value=97.5 (threshold 90)');
    expect(body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*[CRITICAL] 1 alert firing*' } });
    expect(body.blocks[1].text!.text).toContain('*CRITICAL* cpu-high');
    expect(body.blocks[1].text!.text).toContain('&lt;b&gt;&amp;bold&lt;/b&gt;');
  });

  it('retries with backoff: two 500s, then the third attempt lands', async () => {
    const hook = await receiver();
    hook.statuses = [500, 500];
    const notifier = create({
      ...fast,
      retry: { attempts: 5, initialBackoffMs: 50 },
      targets: [{ type: 'webhook', name: 'flaky', url: hook.url, format: 'json' }],
      routes: [{ targets: ['flaky'] }],
    });
    const started = Date.now();
    notifier.enqueue(raised('r1'), { silenced: false });
    await waitFor(async () => (await outcomes()).some((event) => event.type === 'notification.delivered'));

    expect(Date.now() - started).toBeGreaterThanOrEqual(50 + 100); // backoff 50 ms, then 100 ms
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests[2].body).toEqual(hook.requests[0].body);
    const events = await outcomes();
    expect(events.map((event) => [event.type, event.data])).toEqual([
      ['notification.failed', { target: 'flaky', alertIds: ['r1'], attempt: 1, error: 'HTTP 500 Internal Server Error', final: false }],
      ['notification.failed', { target: 'flaky', alertIds: ['r1'], attempt: 2, error: 'HTTP 500 Internal Server Error', final: false }],
      ['notification.delivered', { target: 'flaky', alertIds: ['r1'], attempt: 3 }],
    ]);
  });

  it('gives up after the configured attempts, marking the last failure final', async () => {
    // A port that was just free: nothing listens there any more.
    const gone = await new WebhookReceiver().start();
    await gone.stop();
    const notifier = create({
      ...fast,
      retry: { attempts: 2, initialBackoffMs: 10 },
      targets: [{ type: 'webhook', name: 'dead', url: gone.url, format: 'json' }],
      routes: [{ targets: ['dead'] }],
    });
    notifier.enqueue(raised('d1'), { silenced: false });
    await waitFor(async () => (await outcomes()).length === 2);
    await sleep(100);
    const events = await outcomes();
    expect(events).toHaveLength(2);
    expect(events.map((event) => (event.data as { final: boolean }).final)).toEqual([false, true]);
    expect((events[0].data as { error: string }).error).toMatch(/fetch failed: ECONNREFUSED/);
  });

  it('groups a burst of 20 alerts within the window into exactly one message', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      groupWindowSeconds: 1,
      targets: [{ type: 'webhook', name: 'grouped', url: hook.url, format: 'json' }],
      routes: [{ targets: ['grouped'] }],
    });
    for (let i = 0; i < 20; i++) {
      notifier.enqueue(raised(`b${i}`, { severity: i === 7 ? 'critical' : 'warning' }), { silenced: false });
      await sleep(5);
    }
    await waitFor(() => hook.requests.length > 0);
    await sleep(1200); // a second window would have closed by now
    expect(hook.requests).toHaveLength(1);
    const body = hook.requests[0].body as { alerts: { alertId: string }[]; summary: string };
    expect(body.alerts.map((alert) => alert.alertId)).toEqual(Array.from({ length: 20 }, (_, i) => `b${i}`));
    expect(body.summary).toBe('[CRITICAL] 20 alerts firing');
    const events = await outcomes();
    expect(events).toHaveLength(1);
    expect((events[0].data as { alertIds: string[] }).alertIds).toHaveLength(20);
  });

  it('emails the alert through a real SMTP server', async () => {
    const mails: { from: string; to: string[]; raw: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      secure: false,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) =>
      smtp.listen(0, '127.0.0.1', () => {
        resolve();
      }),
    );
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const notifier = create({
        ...fast,
        targets: [
          {
            type: 'email',
            name: 'oncall-mail',
            smtp: { host: '127.0.0.1', port, secure: false },
            from: 'Vigil <vigil@example.test>',
            to: ['oncall@example.test', 'lead@example.test'],
          },
        ],
        routes: [{ targets: ['oncall-mail'], severities: ['critical'] }],
      });
      notifier.enqueue(raised('m1'), { silenced: false });
      notifier.enqueue(raised('m2', { source: 'worker', value: 99.1 }), { silenced: false });
      await waitFor(async () => (await outcomes()).length === 1);

      expect(mails).toHaveLength(1);
      const [mail] = mails;
      expect(mail.from).toBe('vigil@example.test');
      expect(mail.to).toEqual(['oncall@example.test', 'lead@example.test']);
      // Unfold headers, then undo the body's quoted-printable encoding.
      const unfolded = mail.raw
        .replace(/\r\n[ \t]/g, ' ')
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
      expect(unfolded).toMatch(/^Subject: \[CRITICAL\] 2 alerts firing$/m);
      expect(unfolded).toContain(
        'CRITICAL cpu-high  source=api-server  environment=production  metric=cpu.percent  value=97.5 (threshold 90)',
      );
      expect(unfolded).toContain('source=worker');
      expect(unfolded).toContain('value=99.1');
      expect((await outcomes())[0].data).toEqual({ target: 'oncall-mail', alertIds: ['m1', 'm2'], attempt: 1 });
    } finally {
      await service?.close();
      await new Promise<void>((resolve) => {
        smtp.close(() => {
          resolve();
        });
      });
    }
  });

  it('routes by severity and environment glob, and delivers nothing for silenced alerts', async () => {
    const staging = await receiver();
    const paging = await receiver();
    const notifier = create({
      ...fast,
      targets: [
        { type: 'webhook', name: 'staging-chat', url: staging.url, format: 'slack' },
        { type: 'webhook', name: 'pager', url: paging.url, format: 'json' },
      ],
      routes: [
        { targets: ['staging-chat'], severities: ['info', 'warning'], environments: ['stag*'] },
        { targets: ['pager'], severities: ['error', 'critical'], environments: ['production'] },
      ],
    });
    notifier.enqueue(raised('w1', { severity: 'warning', environment: 'staging' }), { silenced: false });
    await waitFor(() => staging.requests.length === 1);
    await sleep(150);
    expect(paging.requests).toHaveLength(0);
    expect((staging.requests[0].body as { text: string }).text).toContain('WARNING cpu-high');

    notifier.enqueue(raised('c1', { severity: 'critical', environment: 'production' }), { silenced: true });
    notifier.enqueue(raised('w2', { severity: 'warning', environment: 'staging' }), { silenced: true });
    // …and its resolution is not delivered either.
    notifier.enqueue(alertEvent('alert.resolved', { alertId: 'c1', rule: 'cpu-high', value: 10 }), { silenced: false });
    await sleep(250);
    expect(staging.requests).toHaveLength(1);
    expect(paging.requests).toHaveLength(0);
    expect(await outcomes()).toHaveLength(1);
  });

  it('sends a resolution to the targets its alert went to, with the details of the raised alert', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'prod', url: hook.url, format: 'json' }],
      routes: [{ targets: ['prod'], severities: ['critical'], environments: ['production'] }],
    });
    notifier.enqueue(raised('x1'), { silenced: false });
    await waitFor(() => hook.requests.length === 1);
    // Resolved events carry only {alertId, rule, value}: no severity or environment to route by.
    notifier.enqueue(alertEvent('alert.resolved', { alertId: 'x1', rule: 'cpu-high', value: 42 }), { silenced: false });
    await waitFor(() => hook.requests.length === 2);
    const body = hook.requests[1].body as { summary: string; alerts: Record<string, unknown>[] };
    expect(body.summary).toBe('[RESOLVED] 1 alert resolved');
    expect(body.alerts[0]).toMatchObject({
      status: 'resolved',
      alertId: 'x1',
      severity: 'critical',
      source: 'api-server',
      environment: 'production',
      value: 42,
    });
  });

  it('copes with events missing most fields', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      targets: [{ type: 'webhook', name: 'any', url: hook.url, format: 'slack' }],
      routes: [{ targets: ['any'] }],
    });
    notifier.enqueue(alertEvent('alert.raised', { alertId: 'bare' }), { silenced: false });
    notifier.enqueue(alertEvent('alert.raised', {}), { silenced: false });
    await waitFor(() => hook.requests.length === 1);
    const body = hook.requests[0].body as { text: string };
    expect(body.text).toContain('[ALERT] 2 alerts firing');
    expect(body.text).toContain('UNKNOWN unknown rule  source=-  environment=-  value=?');
  });

  it('enqueue never blocks: 1,000 alerts queue in well under 50 ms while the receiver is slow', async () => {
    const hook = await receiver();
    hook.delayMs = 300;
    const notifier = create({
      ...fast,
      groupWindowSeconds: 0.01,
      targets: [{ type: 'webhook', name: 'slow', url: hook.url, format: 'json' }],
      routes: [{ targets: ['slow'] }],
    });
    notifier.enqueue(raised('warm-up'), { silenced: false });
    await waitFor(() => hook.requests.length === 1); // a delivery is now in flight, answered in 300 ms
    const events = Array.from({ length: 1000 }, (_, i) => raised(`q${i}`));
    const started = performance.now();
    for (const event of events) notifier.enqueue(event, { silenced: false });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(50);

    // Everything queued behind the slow delivery goes out grouped (500 alerts per message).
    await waitFor(async () => (await outcomes()).length === 3, 10_000);
    expect(hook.requests.map((request) => (request.body as { alerts: unknown[] }).alerts.length)).toEqual([1, 500, 500]);
  });

  it('flushes waiting alerts on close instead of waiting for the window', async () => {
    const hook = await receiver();
    const notifier = create({
      ...fast,
      groupWindowSeconds: 60,
      targets: [{ type: 'webhook', name: 'w', url: hook.url, format: 'json' }],
      routes: [{ targets: ['w'] }],
    });
    notifier.enqueue(raised('f1'), { silenced: false });
    await sleep(20);
    expect(hook.requests).toHaveLength(0);
    await notifier.close();
    expect(hook.requests).toHaveLength(1);
    expect((await outcomes())[0].type satisfies EventType).toBe('notification.delivered');
  });
});
