import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clusterHealth, clusterSettled, startNodes } from '../support/cluster';
import { eventually, postJson } from '../support/http';
import { startPostgres, type TestPostgres } from '../support/postgres';
import { stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const INGEST = { authorization: 'Bearer failover-ingest-token-0123456789' };

/** A real webhook receiver on loopback that records every body it is sent. */
async function startReceiver(): Promise<{ server: Server; url: string; received: string[] }> {
  const received: string[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(body);
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

/**
 * The leader is killed with SIGKILL while an alert fires: another node takes the
 * lease within 15 s, knows the alert is firing (no second raise, no second
 * notification), and goes on evaluating (it resolves the alert, notified once).
 */
describe('cluster failover', () => {
  let pg: TestPostgres;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let nodes: RunningServer[] = [];

  beforeAll(async () => {
    pg = await startPostgres();
    receiver = await startReceiver();
    const config = [
      'metrics:',
      '  ingestToken: failover-ingest-token-0123456789',
      'alerts:',
      '  checkIntervalSeconds: 1',
      '  rules:',
      '    - { name: db-queue, kind: threshold, source: "db*", environment: staging, metric: io_queue, comparator: ">", threshold: 50, severity: critical }',
      'notifications:',
      '  groupWindowSeconds: 0',
      '  targets:',
      `    - { type: webhook, name: chat, url: "${receiver.url}", format: json }`,
      '  routes:',
      '    - { targets: [chat], severities: [critical] }',
    ].join('\n');
    nodes = await startNodes(await pg.createDatabase(), ['a', 'b'], { config });
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) await stopServer(node);
    receiver.server.close();
    await pg.stop();
  });

  it('hands the lease to another node within 15 s of the leader being killed; a firing alert is raised and notified once', async () => {
    const leaderName = await clusterSettled(nodes, ['a', 'b']);
    const [leader, follower] = leaderName === 'a' ? [nodes[0], nodes[1]] : [nodes[1], nodes[0]];
    const followerName = leaderName === 'a' ? 'b' : 'a';
    const stream = await SseClient.connect(follower.baseUrl, '/api/stream?types=alert.*,notification.*');
    await stream.waitFor('snapshot', (m) => m.length > 0);

    // Samples arrive on the follower; the leader evaluates them (relayed between nodes).
    let value = 80;
    const feeding = setInterval(() => {
      void postJson(
        follower.baseUrl,
        '/api/metrics/ingest',
        { samples: [{ source: 'db-1', environment: 'staging', values: { io_queue: value } }] },
        INGEST,
      );
    }, 300);
    try {
      await stream.waitFor('alert.raised', (m) => m.some((x) => x.json.type === 'alert.raised'), 20_000);
      await eventually('the notification of the raise', () => (receiver.received.length >= 1 ? true : undefined), 15_000);

      leader.kill('SIGKILL');
      const killedAt = Date.now();
      await eventually(
        `node ${followerName} to take the lease`,
        async () => ((await clusterHealth(follower)).node.leader ? true : undefined),
        15_000,
      );
      expect(Date.now() - killedAt).toBeLessThan(15_000);

      // The new leader evaluates the same samples for a while: the firing alert stays one alert.
      const evaluatedFrom = (await clusterHealth(follower)).eventLogPosition;
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(stream.events.filter((m) => m.json.type === 'alert.raised')).toHaveLength(1);
      expect(receiver.received).toHaveLength(1);

      // And it goes on evaluating: the alert resolves, notified once.
      value = 10;
      await stream.waitFor(
        'alert.resolved',
        (m) => m.some((x) => x.json.type === 'alert.resolved' && Number(x.id) > evaluatedFrom),
        20_000,
      );
      await eventually('the notification of the resolution', () => (receiver.received.length >= 2 ? true : undefined), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(receiver.received).toHaveLength(2);
      expect(stream.events.filter((m) => m.json.type === 'alert.resolved')).toHaveLength(1);
    } finally {
      clearInterval(feeding);
      stream.close();
    }
  }, 120_000);
});
