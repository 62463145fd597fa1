/**
 * Issue 17, point 4, through the real server: Vigil scrapes another Vigil's /metrics
 * with its `auth.scrapeToken`, and every name its catalog lists (a 239-character
 * series, label values with quotes and braces, summary quantiles, histogram
 * percentiles) answers the history API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, getJson } from '../support/http';
import { startServer, stopServer, type RunningServer } from '../support/server';

const SCRAPE_TOKEN = 'scrape-token-0123456789abcdef';
const LONG_LABEL = 'x'.repeat(200);

interface CatalogSource {
  source: string;
  metrics: { name: string; kind: string }[];
}

describe('scrape targets', () => {
  let upstream: RunningServer | undefined;
  let server: RunningServer | undefined;
  let exporter: Server | undefined;
  let scrapes = 0;

  beforeAll(async () => {
    upstream = await startServer({ auth: false, config: `auth:\n  scrapeToken: ${SCRAPE_TOKEN}\n` });
    exporter = createServer((_request, response) => {
      scrapes += 1;
      response.end(
        [
          '# TYPE odd gauge',
          `odd{path="a \\"b\\" }{",long="${LONG_LABEL}"} 1`,
          '# TYPE rpc_seconds summary',
          'rpc_seconds{quantile="0.99"} 0.7',
          '# TYPE req_seconds histogram',
          `req_seconds_bucket{le="0.5"} ${scrapes * 10}`,
          `req_seconds_bucket{le="+Inf"} ${scrapes * 20}`,
          `req_seconds_count ${scrapes * 20}`,
          `req_seconds_sum ${scrapes}`,
          '',
        ].join('\n'),
      );
    });
    await new Promise<void>((resolve) => exporter?.listen(0, '127.0.0.1', resolve));
    const exporterUrl = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/metrics`;
    server = await startServer({
      config: [
        'metrics:',
        '  scrape:',
        `    - { source: vigil-a, url: "${upstream.baseUrl}/metrics", bearerToken: ${SCRAPE_TOKEN}, intervalSeconds: 1, metrics: { allow: ["vigil_*"] } }`,
        `    - { source: crafted, url: "${exporterUrl}", intervalSeconds: 1 }`,
      ].join('\n'),
    });
  }, 60_000);

  afterAll(async () => {
    await stopServer(server);
    await stopServer(upstream);
    exporter?.closeAllConnections();
    exporter?.close();
  });

  async function catalog(): Promise<CatalogSource[]> {
    if (!server) throw new Error('no server');
    return (await getJson<CatalogSource[]>(server.baseUrl, '/api/metrics/catalog')).body;
  }

  it('scrapes another Vigil with its scrapeToken (only the allowed families)', async () => {
    const source = await eventually(
      'vigil-a in the catalog',
      async () =>
        (await catalog()).find(
          (entry) =>
            entry.source === 'vigil-a' && entry.metrics.some((metric) => metric.name.startsWith('vigil_http_requests_total_per_s')),
        ),
      20_000,
    );
    expect(source.metrics.every((metric) => metric.name.startsWith('vigil_'))).toBe(true);
  });

  it('lists quantiles and percentiles, and answers the history API for every name it lists', async () => {
    const crafted = await eventually(
      'the histogram percentiles',
      async () =>
        (await catalog()).find((entry) => entry.source === 'crafted' && entry.metrics.some((metric) => metric.name === 'req_seconds_p50')),
      20_000,
    );
    const names = crafted.metrics.map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining(['rpc_seconds{quantile="0.99"}', 'req_seconds_p90', 'req_seconds_p99', 'req_seconds_count_per_s']),
    );
    const odd = names.find((name) => name.startsWith('odd{'));
    expect(odd).toBe(`odd{long="${LONG_LABEL}",path="a \\"b\\" }{"}`);
    expect(odd?.length).toBeGreaterThan(200);
    for (const entry of await catalog()) {
      for (const { name } of entry.metrics) {
        const history = await getJson(
          server?.baseUrl ?? '',
          `/api/metrics/history?source=${entry.source}&metric=${encodeURIComponent(name)}&duration=1h`,
        );
        expect([name, history.status]).toEqual([name, 200]);
      }
    }
  }, 60_000);
});
