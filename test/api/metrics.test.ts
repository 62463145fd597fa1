import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import { eventually, getJson, postJson, send } from '../support/http';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

const INGEST_TOKEN = 'test-ingest-token-0123456789';
const RATE = 50; // counter increments per second served by the fake exporter

/** A real exporter: prom-client output whose counter grows at exactly RATE per second. */
async function startExporter(): Promise<{ server: Server; port: number }> {
  const registry = new Registry();
  const started = Date.now();
  const requests = new Counter({ name: 'demo_requests_total', help: 'requests', registers: [registry] });
  const active = new Gauge({ name: 'demo_active_connections', help: 'active', registers: [registry] });
  let served = 0;
  const server = createServer((_req, res) => {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE);
    requests.inc(due - served);
    served = due;
    active.set(7);
    res.setHeader('content-type', registry.contentType);
    registry.metrics().then(
      (text) => res.end(text),
      (error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('metrics', () => {
  let server: RunningServer;
  let exporter: { server: Server; port: number };

  beforeAll(async () => {
    exporter = await startExporter();
    server = await startServer({
      config: [
        'metrics:',
        '  host: { intervalSeconds: 1, storageIntervalSeconds: 10 }',
        `  ingestToken: ${INGEST_TOKEN}`,
        '  scrape:',
        `    - { source: demo, environment: staging, url: "http://127.0.0.1:${exporter.port}/metrics", intervalSeconds: 1 }`,
        '    - { source: gone, environment: staging, url: "http://127.0.0.1:9/metrics", intervalSeconds: 1 }',
      ].join('\n'),
    });
  });

  afterAll(async () => {
    await server.stop();
    server.cleanup();
    exporter.server.close();
  });

  it('streams host samples as metrics messages (no id) at the configured interval', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=metrics');
    await client.waitFor(
      'four host samples',
      (messages) => messages.filter((m) => m.json.type === 'metrics' && m.json.source === 'host').length >= 4,
      10_000,
    );
    const host = client.messages.filter((m) => m.json.type === 'metrics' && m.json.source === 'host');
    expect(host.every((m) => m.id === undefined)).toBe(true);
    const times = host.map((m) => Date.parse(m.json.time as string));
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(700);
      expect(gap).toBeLessThan(1400);
    }
    const values = host.at(-1)!.json.values as Record<string, number>;
    expect(values.cpu_percent).toBeGreaterThanOrEqual(0);
    expect(values.cpu_percent).toBeLessThanOrEqual(100);
    client.close();
  });

  it('puts the latest sample of every source in the snapshot', async () => {
    await eventually('samples from host, vigil and demo', async () => {
      const client = await SseClient.connect(server.baseUrl, '/api/stream');
      await client.waitFor('snapshot', (m) => m.length >= 1);
      client.close();
      const metrics = (client.messages[0].json.state as { metrics: Record<string, { source: string }> }).metrics;
      return ['*/host', '*/host-storage', '*/vigil', 'staging/demo'].every((key) => key in metrics) ? true : undefined;
    });
  });

  it('turns a scraped counter into a rate within 10 % and keeps gauges as values', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=metrics&environment=staging');
    await client.waitFor(
      'three demo samples with a rate',
      (messages) =>
        messages.filter(
          (m) => m.json.source === 'demo' && (m.json.values as Partial<Record<string, number>>).demo_requests_total_per_s !== undefined,
        ).length >= 3,
      15_000,
    );
    const rates = client.messages
      .filter((m) => m.json.source === 'demo' && (m.json.values as Partial<Record<string, number>>).demo_requests_total_per_s !== undefined)
      .map((m) => (m.json.values as Record<string, number>).demo_requests_total_per_s);
    for (const rate of rates) expect(Math.abs(rate - RATE) / RATE).toBeLessThan(0.1);
    const last = client.messages.filter((m) => m.json.source === 'demo').at(-1)!;
    expect((last.json.values as Record<string, number>).demo_active_connections).toBe(7);
    expect(client.messages.some((m) => m.json.source === 'host')).toBe(true); // host-wide passes every environment
    client.close();
  });

  it('reports an unreachable scrape target as error samples while the others go on', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=metrics');
    await client.waitFor(
      'an error sample from "gone" and host samples',
      (messages) =>
        messages.some((m) => m.json.source === 'gone' && typeof m.json.error === 'string') &&
        messages.filter((m) => m.json.source === 'host').length >= 2,
      10_000,
    );
    expect(server.output()).toMatch(/collector staging\/gone failed/);
    client.close();
  });

  it('answers history for 1h with at most maxPoints points from the raw tier', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2500)); // let a flush or two land
    const response = await getJson<{ tier: string; step: number; points: number[][] }>(
      server.baseUrl,
      '/api/metrics/history?metric=cpu_percent&source=host&duration=1h&maxPoints=100',
    );
    expect(response.status).toBe(200);
    expect(response.body.tier).toBe('raw');
    expect(response.body.points.length).toBeGreaterThan(0);
    expect(response.body.points.length).toBeLessThanOrEqual(100);
    for (const [t, avg, min, max] of response.body.points) {
      expect(t % (response.body.step * 1000)).toBe(0);
      expect(min).toBeLessThanOrEqual(avg);
      expect(avg).toBeLessThanOrEqual(max);
    }
    for (const duration of ['24h', '7d']) {
      const wide = await getJson<{ points: unknown[] }>(server.baseUrl, `/api/metrics/history?metric=cpu_percent&duration=${duration}`);
      expect(wide.status).toBe(200);
      expect(wide.body.points.length).toBeLessThanOrEqual(600);
    }
  });

  it.each([
    ['duration=banana', 'query.duration'],
    ['from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'query.from'],
    ['duration=1h&from=1', 'query.duration'],
    ['maxPoints=0&duration=1h', 'query.maxPoints'],
    ['duration=1h&metric=no_such_metric', 'query.metric'],
  ])('answers 400 with details to %s', async (query, path) => {
    const metric = query.includes('metric=') ? '' : 'metric=cpu_percent&';
    const response = await getJson<{ statusCode: number; details: { path: string }[] }>(
      server.baseUrl,
      `/api/metrics/history?${metric}${query}`,
    );
    expect(response.status).toBe(400);
    expect(response.body.details.map((detail) => detail.path)).toContain(path);
  });

  it('lists sources and metric names with units in the catalog', async () => {
    const response = await getJson<{ source: string; environment?: string; metrics: { name: string; unit: string; kind: string }[] }[]>(
      server.baseUrl,
      '/api/metrics/catalog',
    );
    const host = response.body.find((source) => source.source === 'host' && source.environment === undefined);
    expect(host?.metrics).toContainEqual({ name: 'cpu_percent', unit: '%', kind: 'gauge' });
    const demo = response.body.find((source) => source.source === 'demo');
    expect(demo).toMatchObject({ environment: 'staging' });
    expect(demo?.metrics).toContainEqual({ name: 'demo_requests_total_per_s', unit: '/s', kind: 'rate' });
  });

  it("serves Vigil's own metrics in Prometheus text format at /metrics", async () => {
    const response = await send(server.baseUrl, 'GET', '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    for (const name of [
      'vigil_http_requests_total',
      'vigil_stream_clients',
      'vigil_events_appended_total',
      'vigil_process_resident_memory_bytes',
      'vigil_nodejs_eventloop_lag_seconds',
    ]) {
      expect(response.text).toContain(name);
    }
  });

  it('accepts pushed samples with the bearer token, and refuses bad ones', async () => {
    const sample = { source: 'agent-1', environment: 'production', values: { queue_depth: 42 } };
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', { samples: [sample] })).status).toBe(401);
    expect(
      (await postJson(server.baseUrl, '/api/metrics/ingest', { samples: [sample] }, { authorization: 'Bearer wrong-token-wrong-token' }))
        .status,
    ).toBe(401);
    const auth = { authorization: `Bearer ${INGEST_TOKEN}` };
    const bad = await postJson<{ details: { path: string }[] }>(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ ...sample, values: { queue_depth: 'lots' } }] },
      auth,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toMatch(/^body\.samples\.0\.values/);
    expect((await postJson(server.baseUrl, '/api/metrics/ingest', { samples: [{ ...sample, environment: 'mars' }] }, auth)).status).toBe(
      400,
    );

    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=metrics&environment=production');
    await client.waitFor('snapshot', (m) => m.length >= 1);
    const ok = await postJson<{ accepted: number }>(server.baseUrl, '/api/metrics/ingest', { samples: [sample] }, auth);
    expect(ok.status).toBe(202);
    expect(ok.body.accepted).toBe(1);
    await client.waitFor('the pushed sample', (messages) =>
      messages.some((m) => m.json.source === 'agent-1' && (m.json.values as Record<string, number>).queue_depth === 42),
    );
    client.close();
    const health = await getJson<{ lastMetricAt: string | null }>(server.baseUrl, '/api/health');
    expect(health.body.lastMetricAt).not.toBeNull();
  });

  it('keeps ingest off without a configured token', async () => {
    const other = await startServer();
    const response = await postJson(other.baseUrl, '/api/metrics/ingest', { samples: [] }, { authorization: 'Bearer x' });
    expect(response.status).toBe(403);
    await other.stop();
    other.cleanup();
  });
});
