import { eventually, getJson } from '../support/http';
import { finished, submit } from '../support/commands';
import { demoProcesses, demoProcessesOnPorts } from '../support/processes';
import { startServer, stopServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';
import { DEMO_REQUEST_RATE, configWith, demoLoad, demoLoadRule } from '../support/demo-config';

// End to end: the demo traffic generator loads a real demo web-server; its scraped
// request counter becomes a rate, and a threshold rule on that rate raises an alert
// on /api/stream; stopping the traffic resolves it.
const PORTS = { from: 21701, to: 21702 };
const METRIC = DEMO_REQUEST_RATE;

const CONFIG = configWith({ staging: demoLoad(PORTS) }, { alerts: { checkIntervalSeconds: 1, rules: [demoLoadRule('demo-load')] } });

interface ServiceBody {
  service: string;
  status: string;
  instances: { pid: number | null }[];
}

interface RaisedData {
  alertId: string;
  rule: { name: string };
  source: string;
  environment?: string;
  metric: string;
  value: number;
  threshold: number;
}

describe('alerts under demo load', () => {
  let server: RunningServer;
  let trafficPids: number[] = [];

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'web-server and traffic to run',
      async () => {
        const services = (await getJson<ServiceBody[]>(server.baseUrl, '/api/services?environment=staging')).body;
        const running = services.filter((s) => s.status === 'running').map((s) => s.service);
        if (!running.includes('web-server') || !running.includes('traffic')) return undefined;
        trafficPids = services
          .find((s) => s.service === 'traffic')!
          .instances.map((i) => i.pid)
          .filter((pid): pid is number => pid !== null);
        return true;
      },
      20_000,
    );
  }, 30_000);

  afterAll(async () => {
    await stopServer(server);
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
    // The traffic generator has no port: look it up by the PIDs it ran as.
    expect(demoProcesses().filter((p) => trafficPids.includes(p.pid))).toEqual([]);
  }, 30_000);

  it('demo load over the threshold raises alert.raised on /api/stream, and stopping the traffic resolves it', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=alert.*');
    try {
      await client.waitFor(
        'alert.raised for demo-load',
        (messages) => messages.some((m) => m.json.type === 'alert.raised' && (m.json.data as RaisedData).rule.name === 'demo-load'),
        30_000,
      );
      const raised = client.messages.find((m) => m.json.type === 'alert.raised' && (m.json.data as RaisedData).rule.name === 'demo-load')!
        .json.data as RaisedData;
      expect(raised).toMatchObject({ source: 'web-server', environment: 'staging', metric: METRIC, threshold: 1 });
      expect(raised.value).toBeGreaterThan(1);

      // The series exists in the catalog under the name the rule uses.
      const catalog = await getJson(server.baseUrl, '/api/metrics/catalog');
      expect(JSON.stringify(catalog.body)).toContain(JSON.stringify(METRIC).slice(1, -1));

      // Stop the load: the rate falls to 0 and the alert resolves.
      const { commandId } = await submit(server.baseUrl, { type: 'stop', target: 'traffic', environment: 'staging' });
      const stopped = await finished(server.baseUrl, commandId);
      expect(stopped.state).toBe('completed');
      await client.waitFor(
        'alert.resolved for the raised alert',
        (messages) =>
          messages.some((m) => m.json.type === 'alert.resolved' && (m.json.data as { alertId: string }).alertId === raised.alertId),
        20_000,
      );
      const resolved = client.messages.find(
        (m) => m.json.type === 'alert.resolved' && (m.json.data as { alertId: string }).alertId === raised.alertId,
      )!.json.data as { value: number | null };
      expect(resolved.value).not.toBeNull();
      expect(resolved.value!).toBeLessThanOrEqual(1);
    } finally {
      client.close();
    }
  }, 60_000);
});
