import { eventually, getJson, postJson, send } from '../support/http';
import { login, startServer, type RunningServer, type TestSession } from '../support/server';
import { SseClient } from '../support/sse-client';

const INGEST_TOKEN = 'test-ingest-token-0123456789';
const INGEST = { authorization: `Bearer ${INGEST_TOKEN}` };
const VIEWER_PASSWORD = 'viewer-password-0123';

interface Alert {
  alertId: string;
  rule: string;
  state: string;
  source: string;
  environment?: string;
  value: number;
  message: string;
  acknowledged?: { by: string; comment: string };
  silenced?: { until: string; reason: string };
  isSilenced: boolean;
  silencedBy: string[];
  timeline: { type: string }[];
}

function ingest(server: RunningServer, source: string, value: number, environment = 'staging') {
  return postJson(server.baseUrl, '/api/metrics/ingest', { samples: [{ source, environment, values: { queue_depth: value } }] }, INGEST);
}

function inAnHour(): string {
  return new Date(Date.now() + 3_600_000).toISOString();
}

describe('alerts', () => {
  let server: RunningServer;
  let viewer: TestSession;

  beforeAll(async () => {
    server = await startServer({
      config: [
        'metrics:',
        `  ingestToken: ${INGEST_TOKEN}`,
        'alerts:',
        '  checkIntervalSeconds: 1',
        '  rules:',
        '    - name: queue-deep',
        '      kind: threshold',
        '      source: "queue*"',
        '      environment: staging',
        '      metric: queue_depth',
        '      comparator: ">"',
        '      threshold: 10',
        '      clearThreshold: 5',
        '      severity: error',
        '      labels: { team: backend }',
        '      message: "{{metric}} {{value}} on {{source}} over {{threshold}}"',
      ].join('\n'),
    });
    const created = await postJson(server.baseUrl, '/api/users', { username: 'vera', role: 'viewer', password: VIEWER_PASSWORD });
    expect(created.status).toBe(201);
    viewer = await login(server.baseUrl, 'vera', VIEWER_PASSWORD);
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
  });

  it('raises alert.raised on the stream for values over the threshold, once, and resolves below the clear threshold', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.*');
    expect((await ingest(server, 'queue-a', 50)).status).toBe(202);
    await ingest(server, 'queue-a', 60);
    await ingest(server, 'queue-a', 8); // between clear and threshold: still firing
    await client.waitFor('alert.raised', (m) => m.some((x) => x.json.type === 'alert.raised'), 10_000);
    const event = client.messages.find((m) => m.json.type === 'alert.raised')!;
    const data = event.json.data as {
      alertId: string;
      source: string;
      value: number;
      message: string;
      rule: { name: string };
      labels: Record<string, string>;
    };
    expect(event.id).toBeDefined();
    expect(data).toMatchObject({ source: 'queue-a', value: 50, message: 'queue_depth 50 on queue-a over 10', labels: { team: 'backend' } });
    expect(data.rule.name).toBe('queue-deep');
    await ingest(server, 'queue-a', 2);
    await client.waitFor('alert.resolved', (m) => m.some((x) => x.json.type === 'alert.resolved'), 10_000);
    const resolved = client.messages.find((m) => m.json.type === 'alert.resolved')!.json.data as { alertId: string; value: number };
    expect(resolved).toMatchObject({ alertId: data.alertId, value: 2 });
    expect(client.messages.filter((m) => m.json.type === 'alert.raised')).toHaveLength(1);
    client.close();

    const one = await getJson<Alert>(server.baseUrl, `/api/alerts/${data.alertId}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ state: 'resolved', rule: 'queue-deep', environment: 'staging' });
    expect(one.body.timeline.map((t) => t.type)).toEqual(['raised', 'resolved']);
  });

  it('lets an admin acknowledge and silence an alert, and refuses a viewer with 403', async () => {
    await ingest(server, 'queue-b', 99);
    const alert = await eventually('a firing alert for queue-b', async () => {
      const list = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?state=firing');
      return list.body.alerts.find((a) => a.source === 'queue-b');
    });
    const viewerAuth = { authorization: `Bearer ${viewer.accessToken}` };
    expect((await postJson(server.baseUrl, `/api/alerts/${alert.alertId}/ack`, { comment: 'mine' }, viewerAuth)).status).toBe(403);
    expect(
      (await postJson(server.baseUrl, `/api/alerts/${alert.alertId}/silence`, { until: inAnHour(), reason: 'x' }, viewerAuth)).status,
    ).toBe(403);
    expect(
      (await postJson(server.baseUrl, '/api/silences', { matchers: { rule: 'queue-deep' }, until: inAnHour(), reason: 'x' }, viewerAuth))
        .status,
    ).toBe(403);
    // Viewers still see alerts.
    expect((await getJson(server.baseUrl, `/api/alerts/${alert.alertId}`, viewerAuth)).status).toBe(200);

    const acked = await postJson<Alert>(server.baseUrl, `/api/alerts/${alert.alertId}/ack`, { comment: 'looking into it' });
    expect(acked.status).toBe(200);
    expect(acked.body.acknowledged).toMatchObject({ by: 'admin', comment: 'looking into it' });
    expect(acked.body.state).toBe('firing');

    const tooLate = await postJson<{ details: { path: string }[] }>(server.baseUrl, `/api/alerts/${alert.alertId}/silence`, {
      until: new Date(Date.now() + 31 * 24 * 3_600_000).toISOString(),
      reason: 'x',
    });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.details[0].path).toBe('body.until');
    const past = await postJson(server.baseUrl, `/api/alerts/${alert.alertId}/silence`, {
      until: new Date(Date.now() - 1000).toISOString(),
      reason: 'x',
    });
    expect(past.status).toBe(400);

    const silenced = await postJson<Alert>(server.baseUrl, `/api/alerts/${alert.alertId}/silence`, {
      until: inAnHour(),
      reason: 'known issue',
    });
    expect(silenced.status).toBe(200);
    expect(silenced.body).toMatchObject({ isSilenced: true, silenced: { reason: 'known issue' }, state: 'firing' });
    expect(silenced.body.timeline.map((t) => t.type)).toEqual(['raised', 'acknowledged', 'silenced']);

    const bySilence = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?state=silenced');
    expect(bySilence.body.alerts.map((a) => a.alertId)).toContain(alert.alertId);
    const byAck = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?state=acknowledged');
    expect(byAck.body.alerts.map((a) => a.alertId)).toEqual([alert.alertId]);
    expect((await getJson(server.baseUrl, '/api/alerts?state=pending')).status).toBe(400);
    expect((await getJson(server.baseUrl, '/api/alerts/not-a-uuid')).status).toBe(400);
    expect((await getJson(server.baseUrl, '/api/alerts/5b0e6c1e-3f0a-4c2e-9a55-000000000000')).status).toBe(404);
  });

  it('silences by matcher: stored, listed, and marking matching alerts', async () => {
    const created = await postJson<{ silenceId: string }>(server.baseUrl, '/api/silences', {
      matchers: { labels: { team: 'backend' }, environment: 'staging' },
      until: inAnHour(),
      reason: 'maintenance',
    });
    expect(created.status).toBe(201);
    const list = await getJson<{ silences: { silenceId: string; active: boolean }[] }>(server.baseUrl, '/api/silences');
    expect(list.body.silences).toEqual([expect.objectContaining({ silenceId: created.body.silenceId, active: true })]);
    await ingest(server, 'queue-c', 77);
    const alert = await eventually('a firing alert for queue-c', async () => {
      const res = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?rule=queue-deep&state=firing');
      return res.body.alerts.find((a) => a.source === 'queue-c');
    });
    expect(alert.isSilenced).toBe(true);
    expect(alert.silencedBy).toEqual([created.body.silenceId]);
    const empty = await postJson(server.baseUrl, '/api/silences', { matchers: {}, until: inAnHour(), reason: 'all' });
    expect(empty.status).toBe(400);
  });

  it('applies rules changed over the API to the next sample', async () => {
    const body = {
      name: 'lag-high',
      kind: 'threshold',
      source: 'svc',
      environment: '*',
      metric: 'queue_depth',
      comparator: '>=',
      threshold: 1000,
      severity: 'critical',
    };
    const created = await postJson<{ position: number }>(server.baseUrl, '/api/alert-rules', body);
    expect(created.status).toBe(201);
    expect((await postJson(server.baseUrl, '/api/alert-rules', body)).status).toBe(409);
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.raised,alert-rule.changed');
    await ingest(server, 'svc', 500);
    // Lower the threshold: the next sample fires.
    const updated = await send(server.baseUrl, 'PUT', '/api/alert-rules/lag-high', { body: JSON.stringify({ ...body, threshold: 100 }) });
    expect(updated.status).toBe(200);
    await ingest(server, 'svc', 500);
    await client.waitFor(
      'lag-high raised',
      (m) => m.some((x) => x.json.type === 'alert.raised' && (x.json.data as { rule: { name: string } }).rule.name === 'lag-high'),
      10_000,
    );
    const raised = client.messages.find((x) => x.json.type === 'alert.raised')!.json.data as { rule: { threshold: number }; value: number };
    expect(raised).toMatchObject({ value: 500, rule: { threshold: 100 } });
    client.close();

    const rules = await getJson<{ rules: { name: string; threshold?: number }[] }>(server.baseUrl, '/api/alert-rules');
    expect(rules.body.rules.find((r) => r.name === 'lag-high')?.threshold).toBe(100);
    // Deleting the rule resolves its firing alert.
    expect((await send(server.baseUrl, 'DELETE', '/api/alert-rules/lag-high')).status).toBe(200);
    await eventually('lag-high resolved', async () => {
      const res = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?rule=lag-high');
      return res.body.alerts.length === 1 && res.body.alerts[0].state === 'resolved' ? true : undefined;
    });
    expect((await send(server.baseUrl, 'DELETE', '/api/alert-rules/lag-high')).status).toBe(404);
    const viewerAuth = { authorization: `Bearer ${viewer.accessToken}` };
    expect((await postJson(server.baseUrl, '/api/alert-rules', { ...body, name: 'other' }, viewerAuth)).status).toBe(403);
    expect((await getJson(server.baseUrl, '/api/alert-rules', viewerAuth)).status).toBe(200);
  });

  it('raises an absent alert when a source goes quiet, and resolves it on its next sample', async () => {
    const body = { name: 'beacon-quiet', kind: 'absent', source: 'beacon', environment: 'staging', seconds: 1.5, severity: 'info' };
    expect((await postJson(server.baseUrl, '/api/alert-rules', body)).status).toBe(201);
    await ingest(server, 'beacon', 1);
    const alert = await eventually(
      'beacon-quiet firing',
      async () => {
        const res = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts?rule=beacon-quiet&state=firing');
        return res.body.alerts[0];
      },
      10_000,
    );
    expect(alert).toMatchObject({ source: 'beacon', environment: 'staging' });
    await ingest(server, 'beacon', 1);
    await eventually('beacon-quiet resolved', async () => {
      const res = await getJson<Alert>(server.baseUrl, `/api/alerts/${alert.alertId}`);
      return res.body.state === 'resolved' ? true : undefined;
    });
    expect((await send(server.baseUrl, 'DELETE', '/api/alert-rules/beacon-quiet')).status).toBe(200);
  });

  it('answers bad rule bodies with 400 and field details', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'x', kind: 'threshold', metric: 'm', comparator: '!=', threshold: 1 }, 'body.comparator'],
      [{ name: 'x', kind: 'threshold', metric: 'm', comparator: '>', threshold: 10, clearThreshold: 20 }, 'body.clearThreshold'],
      [{ name: 'Bad Name', kind: 'absent', seconds: 30 }, 'body.name'],
      [{ name: 'x', kind: 'absent', seconds: 30, extra: true }, 'body'],
      [{ name: 'x', kind: 'nope' }, 'body.kind'],
      [{ name: 'x', kind: 'service', severity: 'fatal' }, 'body.severity'],
    ];
    for (const [body, path] of cases) {
      const res = await postJson<{ details: { path: string }[] }>(server.baseUrl, '/api/alert-rules', body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d) => d.path)).toContain(path);
    }
    const mismatch = await send<{ details: { path: string }[] }>(server.baseUrl, 'PUT', '/api/alert-rules/queue-deep', {
      body: JSON.stringify({ name: 'other', kind: 'absent', seconds: 5 }),
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.details[0].path).toBe('body.name');
  });

  it('keeps rule changes and alerts across a restart (replayed from the log)', async () => {
    const body = { name: 'kept', kind: 'absent', source: 'nothing', seconds: 60 };
    expect((await postJson(server.baseUrl, '/api/alert-rules', body)).status).toBe(201);
    const before = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts');
    await server.stop();
    const dataDir = server.dataDir;
    server = await startServer({ dataDir, config: `metrics:\n  ingestToken: ${INGEST_TOKEN}\nalerts:\n  rules: []\n` });
    const rules = await getJson<{ rules: { name: string }[] }>(server.baseUrl, '/api/alert-rules');
    expect(rules.body.rules.map((r) => r.name)).toEqual(['kept']);
    const after = await getJson<{ alerts: Alert[] }>(server.baseUrl, '/api/alerts');
    expect(after.body.alerts.map((a) => [a.alertId, a.state])).toEqual(before.body.alerts.map((a) => [a.alertId, a.state]));
  });
});

describe('service alerts against the real supervisor', () => {
  it('raises a crash alert on an unexpected exit and a restart-loop alert after repeated policy restarts', async () => {
    const server = await startServer({
      supervisor: true,
      config: [
        'environments:',
        '  - name: staging',
        '    services:',
        '      - name: flaky',
        '        command: node',
        '        args: ["-e", "setTimeout(() => process.exit(3), 900)"]',
        '        restart: { policy: always, initialBackoffMs: 100, maxBackoffMs: 200 }',
        'alerts:',
        '  rules:',
        '    - { name: crashed, kind: service, service: "fla*", trigger: crash, severity: error }',
        '    - { name: looping, kind: service, service: "*", environment: staging, trigger: restart-loop, restarts: 2, withinMinutes: 1, severity: critical }',
      ].join('\n'),
    });
    try {
      const client = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.*');
      await client.waitFor(
        'crash and loop alerts',
        (m) => {
          const rules = m.filter((x) => x.json.type === 'alert.raised').map((x) => (x.json.data as { rule: { name: string } }).rule.name);
          return rules.includes('crashed') && rules.includes('looping');
        },
        20_000,
      );
      const raised = client.messages
        .filter((x) => x.json.type === 'alert.raised')
        .map((x) => x.json.data as { rule: { name: string }; source: string; environment: string; metric: string; value: number });
      expect(raised.find((d) => d.rule.name === 'crashed')).toMatchObject({
        source: 'flaky',
        environment: 'staging',
        metric: 'exit_code',
        value: 3,
      });
      expect(raised.find((d) => d.rule.name === 'looping')).toMatchObject({ source: 'flaky', metric: 'restarts', value: 2 });
      // One loop alert while it keeps looping (deduplicated).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(
        client.messages.filter(
          (x) => x.json.type === 'alert.raised' && (x.json.data as { rule: { name: string } }).rule.name === 'looping',
        ),
      ).toHaveLength(1);
      client.close();
    } finally {
      await server.stop();
      server.cleanup();
    }
  }, 60_000);
});
