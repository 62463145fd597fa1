import type { StoredEvent } from '@vigil/shared';
import { postJson } from '../support/http';
import { WebhookReceiver, waitFor } from '../support/notification-fixtures';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/** Approval requests go to the routes `for: approvals` (issue 16, item 3), and only there; alerts do not. */
describe('notifications of approval requests', () => {
  let server: RunningServer | undefined;
  let approvals: WebhookReceiver;
  let alerts: WebhookReceiver;
  const base = (): string => server?.baseUrl ?? '';

  beforeAll(async () => {
    approvals = await new WebhookReceiver().start();
    alerts = await new WebhookReceiver().start();
    const config = `
environments:
  - { name: production }
  - { name: staging }
metrics: { ingestToken: approval-notices-ingest }
alerts:
  rules:
    - { kind: threshold, name: probe-high, metric: v, source: probe, comparator: '>', threshold: 10 }
approvals:
  - { commands: [ping], environments: [production, staging], approvers: [admin] }
notifications:
  groupWindowSeconds: 0
  targets:
    - { type: webhook, name: approvers-hook, url: '${approvals.url}', format: slack }
    - { type: webhook, name: alerts-hook, url: '${alerts.url}' }
  routes:
    - { for: approvals, targets: [approvers-hook], environments: [production] }
    - { targets: [alerts-hook] }
`;
    server = await startServer({ config });
  });
  afterAll(async () => {
    await stopServer(server);
    await approvals.stop();
    await alerts.stop();
  });

  it('sends a request to the approvers’ route of its environment once, records the delivery, and sends alerts elsewhere', async () => {
    const asked = await postJson<{ commandId: string }>(base(), '/api/commands', {
      type: 'ping',
      target: 'vigil',
      environment: 'production',
      params: {},
    });
    expect(asked.status).toBe(202);
    await waitFor(() => approvals.requests.length === 1, 10_000);
    const text = JSON.stringify(approvals.requests[0].body);
    expect(text).toContain('Approval needed: ping on vigil in production, asked by admin');
    expect(text).toContain('approvers: admin');

    // staging is not on the approvers' route: nothing goes out for it.
    expect((await postJson(base(), '/api/commands', { type: 'ping', target: 'vigil', environment: 'staging', params: {} })).status).toBe(
      202,
    );
    // An alert goes to the alerts route only.
    const sample = { source: 'probe', environment: 'staging', values: { v: 99 } };
    expect(
      (await postJson(base(), '/api/metrics/ingest', { samples: [sample] }, { authorization: 'Bearer approval-notices-ingest' })).status,
    ).toBe(202);
    await waitFor(() => alerts.requests.length >= 1, 10_000);
    expect(JSON.stringify(alerts.requests)).toContain('probe-high');
    expect(JSON.stringify(alerts.requests)).not.toContain('Approval needed');
    expect(approvals.requests).toHaveLength(1);

    const stream = await SseClient.connect(base(), '/api/stream?lastEventId=0&types=notification.delivered');
    await stream.waitFor('the delivery of the approval request', () =>
      stream.events.some((message) =>
        (message.json as unknown as StoredEvent<'notification.delivered'>).data.alertIds.includes(asked.body.commandId),
      ),
    );
    const delivery = stream.events
      .map((message) => message.json as unknown as StoredEvent<'notification.delivered'>)
      .find((event) => event.data.alertIds.includes(asked.body.commandId));
    stream.close();
    expect(delivery?.data).toEqual({ target: 'approvers-hook', alertIds: [asked.body.commandId], attempt: 1 });
  });
});
