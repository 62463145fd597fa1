/**
 * Issue 17, point 1, against Debian's real Alertmanager: a Vigil alert appears in its
 * /api/v2/alerts with `alertname` = the rule, is re-posted while firing, and resolves.
 */
import { eventually, postJson } from '../support/http';
import { startAlertmanager, type RunningTool } from '../support/ecosystem-tools';
import { startServer, stopServer, type RunningServer } from '../support/server';

const INGEST = { authorization: 'Bearer am-ingest-token-0123456789' };

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL: string;
  status: { state: string };
}

describe('alerts to a real Alertmanager', () => {
  let alertmanager: RunningTool | undefined;
  let server: RunningServer | undefined;

  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    server = await startServer({
      config: [
        'metrics:',
        `  ingestToken: ${INGEST.authorization.slice('Bearer '.length)}`,
        'alerts:',
        '  rules:',
        '    - { name: disk-queue, kind: threshold, source: "db*", environment: production, metric: io_queue, comparator: ">", threshold: 50, severity: critical }',
        'notifications:',
        '  groupWindowSeconds: 0',
        '  externalUrl: http://vigil.test:3000',
        '  targets:',
        `    - { type: alertmanager, name: am, url: "${alertmanager.url}", repeatSeconds: 1 }`,
        '  routes:',
        '    - { targets: [am] }',
      ].join('\n'),
    });
  }, 60_000);

  afterAll(async () => {
    await stopServer(server);
    await alertmanager?.stop();
  });

  async function amAlerts(): Promise<AmAlert[]> {
    if (!alertmanager) throw new Error('no alertmanager');
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`);
    return (await response.json()) as AmAlert[];
  }

  async function ingest(value: number): Promise<void> {
    if (!server) throw new Error('no server');
    const sent = await postJson(
      server.baseUrl,
      '/api/metrics/ingest',
      { samples: [{ source: 'db-1', environment: 'production', values: { io_queue: value } }] },
      INGEST,
    );
    expect(sent.status).toBe(202);
  }

  it('raises, keeps re-posting while firing, and resolves', async () => {
    await ingest(80);
    const first = await eventually(
      'the alert in Alertmanager',
      async () => (await amAlerts()).find((alert) => alert.labels.alertname === 'disk-queue'),
      20_000,
    );
    expect(first.labels).toMatchObject({
      alertname: 'disk-queue',
      severity: 'critical',
      environment: 'production',
      source: 'db-1',
      metric: 'io_queue',
    });
    expect(first.annotations.value).toBe('80');
    expect(first.generatorURL).toMatch(/^http:\/\/vigil\.test:3000\/alerts\?alert=/);
    expect(first.status.state).toBe('active');

    // Re-posted every second: Alertmanager records a later update of the same alert.
    await eventually(
      'a re-post',
      async () => {
        const again = (await amAlerts()).find((alert) => alert.labels.alertname === 'disk-queue');
        return again && again.updatedAt > first.updatedAt ? again : undefined;
      },
      15_000,
    );

    await ingest(10);
    // Resolved: Alertmanager's list holds only alerts whose endsAt is still ahead.
    await eventually(
      'the alert to resolve',
      async () => ((await amAlerts()).some((alert) => alert.labels.alertname === 'disk-queue') ? undefined : true),
      20_000,
    );
  }, 60_000);
});
