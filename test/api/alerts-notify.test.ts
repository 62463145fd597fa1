import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, postJson } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const INGEST = { authorization: 'Bearer notify-ingest-token-0123456789' };

/** A real webhook receiver on loopback that records what it is sent. */
async function startReceiver(): Promise<{ server: Server; url: string; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

/** The whole path in the real server: sample → evaluator → alert.raised → notifier → webhook → outcome event. */
describe('alert notifications end to end', () => {
  let server: RunningServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startServer({
      config: [
        'metrics:',
        '  ingestToken: notify-ingest-token-0123456789',
        'alerts:',
        '  rules:',
        '    - { name: disk-queue, kind: threshold, source: "db*", environment: production, metric: io_queue, comparator: ">", threshold: 50, severity: critical }',
        'notifications:',
        '  groupWindowSeconds: 1',
        '  targets:',
        `    - { type: webhook, name: chat, url: "${receiver.url}", format: json }`,
        '  routes:',
        '    - { targets: [chat], severities: [critical] }',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
    receiver.server.close();
  });

  it('delivers a raised alert to the webhook and records the delivery', async () => {
    const stream = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.*,notification.*');
    await stream.waitFor('snapshot', (m) => m.length >= 1);
    const sent = await postJson(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ source: 'db-1', environment: 'production', values: { io_queue: 80 } }] },
      INGEST,
    );
    expect(sent.status).toBe(202);

    await stream.waitFor('alert.raised', (m) => m.some((message) => message.json.type === 'alert.raised'), 15_000);
    const payload = await eventually('the webhook call', () => (receiver.received.length > 0 ? receiver.received[0] : undefined), 15_000);
    expect(JSON.stringify(payload)).toContain('db-1');
    expect(JSON.stringify(payload)).toContain('critical');
    await stream.waitFor('notification.delivered', (m) => m.some((message) => message.json.type === 'notification.delivered'), 15_000);
    stream.close();
  }, 45_000);
});
