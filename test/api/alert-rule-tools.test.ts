import type {
  AlertRuleHistoryResponse,
  AlertRulePreview,
  NotificationTargetSummary,
  NotificationTestResult,
  StoredEvent,
} from '@vigil/shared';
import { addUsers } from '../support/app-session';
import { configWith } from '../support/demo-config';
import { eventually, getJson, postJson, send } from '../support/http';
import { WebhookReceiver } from '../support/notification-fixtures';
import { SseClient } from '../support/sse-client';
import { login, startServer, stopServer, type RunningServer } from '../support/server';

const PASSWORD = 'rule-tools-password-1';

describe('alert rule tools: preview on recent samples, rule history, notification targets and test messages', () => {
  let server: RunningServer | undefined;
  let receiver: WebhookReceiver;
  const base = (): string => server?.baseUrl ?? '';

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    const config = configWith(
      { staging: [] },
      {
        metrics: { ingestToken: 'ingest-token-for-rule-tools' },
        notifications: {
          targets: [
            { type: 'webhook', name: 'ops-hook', url: `${receiver.url}?secret=do-not-show`, format: 'json' },
            { type: 'webhook', name: 'dead-hook', url: 'http://127.0.0.1:1/hook' },
          ],
        },
      },
    );
    server = await startServer({ config });
    await addUsers(server, { username: 'otto', password: PASSWORD, role: 'operator' });
  });
  afterAll(async () => {
    await stopServer(server);
    await receiver.stop();
  });

  it('previews a draft rule against samples of the last minutes: it would have fired, and when', async () => {
    const now = Date.now();
    const samples = [120, 100, 80, 60].map((secondsAgo, i) => ({
      source: 'probe',
      environment: 'staging',
      time: new Date(now - secondsAgo * 1000).toISOString(),
      values: { latency_ms: i < 2 ? 10 : 500 },
    }));
    const ingested = await postJson(base(), '/api/metrics/ingest', { samples }, { authorization: 'Bearer ingest-token-for-rule-tools' });
    expect(ingested.status).toBe(202);
    const rule = { kind: 'threshold', name: 'slow-probe', metric: 'latency_ms', source: 'probe', comparator: '>', threshold: 200 };
    const preview = await eventually('the preview to see the ingested samples', async () => {
      const answer = await postJson<AlertRulePreview>(base(), '/api/alert-rules/preview', { rule, minutes: 15 });
      expect(answer.status).toBe(200);
      return answer.body.firings.length > 0 ? answer.body : undefined;
    });
    expect(preview.firings).toEqual([
      expect.objectContaining({ source: 'probe', environment: 'staging', raisedAt: samples[2].time, value: 500 }),
    ]);
    expect(preview.firings[0].resolvedAt).toBeUndefined();

    const never = await postJson<AlertRulePreview>(base(), '/api/alert-rules/preview', { rule: { ...rule, threshold: 1000 } });
    expect(never.body.firings).toEqual([]);
    expect(never.body.samples).toBeGreaterThanOrEqual(4);
    // Nothing was raised for real.
    const alerts = await getJson<unknown[]>(base(), '/api/alerts');
    expect(JSON.stringify(alerts.body)).not.toContain('slow-probe');
  });

  it('refuses a bad draft with field details, and the preview to roles without alerts.manage', async () => {
    const bad = await postJson<{ details: { path: string }[] }>(base(), '/api/alert-rules/preview', {
      rule: { kind: 'threshold', name: 'x', metric: 'm', comparator: '!=', threshold: 1 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail) => detail.path)).toContain('body.rule.comparator');
    expect(
      (await postJson(base(), '/api/alert-rules/preview', { rule: { kind: 'absent', name: 'q', seconds: 5 }, minutes: 61 })).status,
    ).toBe(400);
    const otto = await login(base(), 'otto', PASSWORD);
    const refused = await postJson(
      base(),
      '/api/alert-rules/preview',
      { rule: { kind: 'absent', name: 'q', seconds: 5 } },
      {
        authorization: `Bearer ${otto.accessToken}`,
      },
    );
    expect(refused.status).toBe(403);
  });

  it('lists each rule’s run-time changes with who and when, for every signed-in user', async () => {
    const rule = { kind: 'absent', name: 'probe-quiet', source: 'probe', seconds: 120 };
    expect((await postJson(base(), '/api/alert-rules', rule)).status).toBe(201);
    expect((await send(base(), 'PUT', '/api/alert-rules/probe-quiet', { body: JSON.stringify({ ...rule, seconds: 300 }) })).status).toBe(
      200,
    );
    const otto = await login(base(), 'otto', PASSWORD);
    const history = await getJson<AlertRuleHistoryResponse>(base(), '/api/alert-rules/changes?name=probe-quiet', {
      authorization: `Bearer ${otto.accessToken}`,
    });
    expect(history.status).toBe(200);
    expect(history.body.changes.map((change) => [change.change, change.by, (change.rule as { seconds?: number } | null)?.seconds])).toEqual(
      [
        ['created', 'admin', 120],
        ['updated', 'admin', 300],
      ],
    );
    expect(history.body.changes[0].position).toBeLessThan(history.body.changes[1].position);
    expect((await getJson(base(), '/api/alert-rules/changes?name=')).status).toBe(400);
    expect((await getJson(base(), '/api/alert-rules/changes?other=1')).status).toBe(400);
  });

  it('lists the targets without their secrets, and a test message reaches a real receiver and is recorded', async () => {
    const targets = await getJson<NotificationTargetSummary[]>(base(), '/api/notifications/targets');
    expect(targets.body).toEqual([
      { name: 'ops-hook', type: 'webhook', destination: new URL(receiver.url).host, format: 'json' },
      { name: 'dead-hook', type: 'webhook', destination: '127.0.0.1:1', format: 'json' },
    ]);
    expect(JSON.stringify(targets.body)).not.toContain('do-not-show');

    const sent = await postJson<NotificationTestResult>(base(), '/api/notifications/targets/ops-hook/test', {});
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ target: 'ops-hook', ok: true });
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.stringify(receiver.requests[0].body)).toContain('Test message from Vigil, sent by admin');

    const failed = await postJson<NotificationTestResult>(base(), '/api/notifications/targets/dead-hook/test', {});
    expect(failed.body).toMatchObject({ target: 'dead-hook', ok: false, error: expect.any(String) as string });

    const stream = await SseClient.connect(base(), '/api/stream?lastEventId=0&types=notification.tested');
    const tested = (): StoredEvent[] => stream.events.map((message) => message.json as unknown as StoredEvent);
    await stream.waitFor('two notification.tested events', () => tested().length >= 2);
    stream.close();
    const recorded = tested().map((event) => [event.data, event.meta.actor?.username]);
    expect(recorded).toEqual(
      expect.arrayContaining([
        [{ target: 'ops-hook', ok: true }, 'admin'],
        [expect.objectContaining({ target: 'dead-hook', ok: false }), 'admin'],
      ]),
    );

    expect((await postJson(base(), '/api/notifications/targets/nope/test', {})).status).toBe(404);
    const otto = await login(base(), 'otto', PASSWORD);
    expect(
      (await postJson(base(), '/api/notifications/targets/ops-hook/test', {}, { authorization: `Bearer ${otto.accessToken}` })).status,
    ).toBe(403);
    expect(receiver.requests).toHaveLength(1);
  });
});
