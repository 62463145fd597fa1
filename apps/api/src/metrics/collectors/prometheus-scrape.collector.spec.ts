import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { histogramQuantile } from '../prometheus/histogram-quantiles';
import { PrometheusScrapeCollector, type ScrapeTarget } from './prometheus-scrape.collector';

/** A real exporter on loopback serving whatever `body` holds now, recording the request headers. */
class Exporter {
  body = '';
  readonly requests: IncomingMessage['headers'][] = [];
  server!: Server;
  url = '';
  async start(server: Server = createServer(), scheme = 'http'): Promise<this> {
    this.server = server;
    server.on('request', (req: IncomingMessage, res) => {
      this.requests.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    return this;
  }
  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
  }
}

const target = (url: string, extra: Partial<ScrapeTarget> = {}): ScrapeTarget => ({
  source: 'app',
  url,
  intervalMs: 1000,
  timeoutMs: 2000,
  ...extra,
});

describe('PrometheusScrapeCollector', () => {
  let exporter: Exporter;
  beforeEach(async () => {
    exporter = await new Exporter().start();
  });
  afterEach(() => exporter.stop());

  it('respects # TYPE: a gauge named *_count or *_sum stays a value; _created is no rate; untyped _total is a counter', async () => {
    const page = (n: number): string =>
      [
        '# TYPE queue_count gauge',
        `queue_count ${n}`,
        '# TYPE bytes_sum gauge',
        'bytes_sum 100',
        '# TYPE jobs counter',
        `jobs_total ${n * 10}`,
        `jobs_created 1700000000`,
        `plain_total ${n}`,
      ].join('\n');
    const collector = new PrometheusScrapeCollector(target(exporter.url));
    exporter.body = page(1);
    const first = await collector.collect();
    expect(first).toEqual({ queue_count: 1, bytes_sum: 100 });
    exporter.body = page(3);
    const second = await collector.collect();
    expect(second.queue_count).toBe(3);
    expect(second.bytes_sum).toBe(100);
    expect(second.jobs_total_per_s).toBeGreaterThan(0);
    expect(second.plain_total_per_s).toBeGreaterThan(0);
    expect(Object.keys(second).some((name) => name.includes('created'))).toBe(false);
    expect(collector.describe('jobs_total_per_s')).toMatchObject({ kind: 'rate', unit: '/s' });
  });

  it('keeps summary quantiles and derives p50/p90/p99 from histogram buckets per scrape interval', async () => {
    const page = (fast: number, slow: number): string =>
      [
        '# TYPE rpc_seconds summary',
        'rpc_seconds{quantile="0.5"} 0.2',
        'rpc_seconds{quantile="0.99"} 1.5',
        'rpc_seconds_sum 10',
        'rpc_seconds_count 40',
        '# TYPE http_seconds histogram',
        `http_seconds_bucket{handler="/a",le="0.1"} ${fast}`,
        `http_seconds_bucket{handler="/a",le="1"} ${fast + slow}`,
        `http_seconds_bucket{handler="/a",le="+Inf"} ${fast + slow}`,
        `http_seconds_sum{handler="/a"} 1`,
        `http_seconds_count{handler="/a"} ${fast + slow}`,
      ].join('\n');
    const collector = new PrometheusScrapeCollector(target(exporter.url));
    exporter.body = page(100, 0);
    const first = await collector.collect();
    expect(first['rpc_seconds{quantile="0.5"}']).toBe(0.2);
    expect(first['rpc_seconds{quantile="0.99"}']).toBe(1.5);
    // In this interval: 0 fast, 100 slow (between 0.1 and 1 s): every percentile is in the slow bucket.
    exporter.body = page(100, 100);
    const second = await collector.collect();
    expect(second['http_seconds_p50{handler="/a"}']).toBeCloseTo(0.55, 5);
    expect(second['http_seconds_p99{handler="/a"}']).toBeCloseTo(0.991, 5);
    expect(second['http_seconds_p90{handler="/a"}']).toBeGreaterThan(0.1);
    expect(Object.keys(second).some((name) => name.includes('_bucket'))).toBe(false);
  });

  it('sends headers, a bearer token from a file, or basic auth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-scrape-'));
    try {
      writeFileSync(join(dir, 'token'), 'file-token-0123456789\n');
      exporter.body = 'up 1\n';
      await new PrometheusScrapeCollector(
        target(exporter.url, { headers: { 'x-tenant': 'blue' }, bearerTokenFile: join(dir, 'token') }),
      ).collect();
      expect(exporter.requests[0]).toMatchObject({ 'x-tenant': 'blue', authorization: 'Bearer file-token-0123456789' });
      await new PrometheusScrapeCollector(target(exporter.url, { basicAuth: { username: 'u', password: 'p' } })).collect();
      expect(exporter.requests[1].authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps only allowed families, drops denied ones, and fails over the series limit with the reason', async () => {
    exporter.body = ['go_threads 5', 'go_goroutines 9', 'app_users 3', 'app_debug_x 1'].join('\n');
    const filtered = await new PrometheusScrapeCollector(
      target(exporter.url, { metrics: { allow: ['app_*', 'go_threads'], deny: ['app_debug_*'] } }),
    ).collect();
    expect(filtered).toEqual({ go_threads: 5, app_users: 3 });
    await expect(new PrometheusScrapeCollector(target(exporter.url, { seriesLimit: 3 })).collect()).rejects.toThrow(
      /4 series, over this target's seriesLimit of 3/,
    );
  });

  it('verifies TLS against the given CA, refuses an unknown one, and skips checks only when insecureSkipVerify says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    let tlsExporter: Exporter | undefined;
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
      tlsExporter = await new Exporter().start(createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert }), 'https');
      tlsExporter.body = 'up 1\n';
      await expect(new PrometheusScrapeCollector(target(tlsExporter.url)).collect()).rejects.toThrow(
        /self[- ]signed|unable to verify|certificate/i,
      );
      expect(
        await new PrometheusScrapeCollector(
          target(tlsExporter.url, { tls: { caFile: join(dir, 'cert.pem'), insecureSkipVerify: false } }),
        ).collect(),
      ).toEqual({ up: 1 });
      expect(await new PrometheusScrapeCollector(target(tlsExporter.url, { tls: { insecureSkipVerify: true } })).collect()).toEqual({
        up: 1,
      });
    } finally {
      await tlsExporter?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('computes histogram quantiles as Prometheus does', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 10 },
        { le: 2, count: 20 },
        { le: Number.POSITIVE_INFINITY, count: 20 },
      ]),
    ).toBe(1);
    expect(
      histogramQuantile(0.75, [
        { le: 1, count: 10 },
        { le: 2, count: 20 },
        { le: Number.POSITIVE_INFINITY, count: 20 },
      ]),
    ).toBe(1.5);
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 0 },
        { le: Number.POSITIVE_INFINITY, count: 5 },
      ]),
    ).toBe(1);
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 0 },
        { le: Number.POSITIVE_INFINITY, count: 0 },
      ]),
    ).toBeUndefined();
  });
});
