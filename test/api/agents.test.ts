import { agentConfig, enrolHost, host, hostStatus, startAgent, type RunningAgent } from '../support/agents';
import { commandView, finished, run, submit } from '../support/commands';
import { configWith, demoService } from '../support/demo-config';
import { eventually, getJson, postJson, send } from '../support/http';
import { isAlive } from '../support/processes';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';

/**
 * Three agents as separate processes against one SQLite node, over loopback (each its
 * own data dir, config and service ports). Network namespaces were not used: the
 * sessions share this machine and cannot rely on `ip netns` being available.
 */
const HOST_OFFLINE_RULE = {
  name: 'host-offline',
  kind: 'absent',
  source: 'host@*',
  environment: '*',
  seconds: 15,
  severity: 'critical',
  message: 'host {{source}} is offline',
};
const SERVER_CONFIG = configWith({ production: [], staging: [] }, { alerts: { checkIntervalSeconds: 1, rules: [HOST_OFFLINE_RULE] } });

const SERVICES = {
  'agent-1': demoService({ script: 'web-server', name: 'web-1', ports: { from: 25201, to: 25202 } }),
  'agent-2': demoService({ script: 'api-server', name: 'api-2', ports: { from: 25211, to: 25212 } }),
  'agent-3': demoService({ script: 'web-server', name: 'web-3', ports: { from: 25221, to: 25222 }, metrics: true, deploy: true }),
} as const;
type HostName = keyof typeof SERVICES;

interface ServiceBody {
  service: string;
  host?: string;
  status: string;
  version: string;
  instances: { pid: number | null; state: string }[];
}

async function serviceOf(baseUrl: string, name: string): Promise<ServiceBody | undefined> {
  const { body } = await getJson<ServiceBody[]>(baseUrl, '/api/services?environment=staging');
  return body.find((entry) => entry.service === name);
}

function runningPid(baseUrl: string, name: string): Promise<number> {
  return eventually(
    `${name} to run`,
    async () => {
      const found = await serviceOf(baseUrl, name);
      const pid = found?.status === 'running' ? found.instances[0]?.pid : null;
      return typeof pid === 'number' ? pid : undefined;
    },
    30_000,
  );
}

async function historyPoints(baseUrl: string, source: string, from: number, to: number): Promise<number> {
  const { status, body } = await getJson<{ points?: unknown[] }>(
    baseUrl,
    `/api/metrics/history?metric=memory_percent&source=${encodeURIComponent(source)}&from=${from}&to=${to}&maxPoints=1000`,
  );
  // 404 until the series has its first sample
  return status === 200 ? (body.points?.length ?? 0) : 0;
}

/** The hosts of the replayed dashboard at `at` (its snapshot). */
async function replayedHosts(baseUrl: string, at: Date): Promise<Record<string, { status: string; services: unknown[] }>> {
  const to = new Date(at.getTime() + 1000);
  const client = await SseClient.connect(baseUrl, `/api/replay?from=${at.toISOString()}&to=${to.toISOString()}&speed=max`);
  await client.waitFor('the replay snapshot', (messages) => messages.some((m) => m.json.type === 'snapshot'), 20_000);
  client.close();
  const snapshot = client.messages.find((m) => m.json.type === 'snapshot')?.json as unknown as {
    state: { hosts?: Record<string, { status: string; services: unknown[] }> };
  };
  return snapshot.state.hosts ?? {};
}

/** Every command.started in the log, by command id. */
async function startsByCommand(baseUrl: string): Promise<Map<string, number>> {
  const client = await SseClient.connect(baseUrl, '/api/stream?types=command.started&lastEventId=0');
  // The catch-up of a small log arrives at once; then the live part holds nothing more.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  client.close();
  const counts = new Map<string, number>();
  for (const message of client.messages) {
    if (message.id === undefined) continue;
    const event = JSON.parse(message.data) as { type: string; data: { commandId: string } };
    if (event.type === 'command.started') counts.set(event.data.commandId, (counts.get(event.data.commandId) ?? 0) + 1);
  }
  return counts;
}

describe('agents on other hosts', () => {
  let server: RunningServer;
  const tokens = new Map<HostName, string>();
  const agents = new Map<HostName, RunningAgent>();
  const extra: RunningAgent[] = [];

  beforeAll(async () => {
    server = await startServer({ config: SERVER_CONFIG });
    for (const name of Object.keys(SERVICES) as HostName[]) {
      tokens.set(name, await enrolHost(server.baseUrl, name, { role: 'test' }));
      agents.set(name, startAgent({ server: server.baseUrl, name, token: tokens.get(name) ?? '', config: agentConfig([SERVICES[name]]) }));
    }
  }, 60_000);

  afterAll(async () => {
    for (const agent of [...agents.values(), ...extra]) {
      await agent.stop();
      agent.cleanup();
    }
    await server.stop();
    server.cleanup();
  }, 60_000);

  it('enrols three agents: online, with their services and host metrics', async () => {
    for (const name of Object.keys(SERVICES) as HostName[]) {
      const online = await hostStatus(server.baseUrl, name, 'online');
      expect(online).toMatchObject({ labels: { role: 'test' }, agentVersion: '0.1.0' });
      expect(online.services).toEqual([{ environment: 'staging', service: SERVICES[name].name }]);
      await runningPid(server.baseUrl, String(SERVICES[name].name));
      await eventually(
        `host metrics of ${name}`,
        async () => ((await historyPoints(server.baseUrl, `host@${name}`, Date.now() - 60_000, Date.now() + 1000)) > 0 ? true : undefined),
        15_000,
      );
    }
    const listed = await serviceOf(server.baseUrl, 'api-2');
    expect(listed?.host).toBe('agent-2');
    // The token is never shown again, nor its hash.
    const { text } = await getJson(server.baseUrl, '/api/hosts');
    expect(text).not.toContain('tokenHash');
    expect(text).not.toContain(tokens.get('agent-1'));
  }, 90_000);

  it('restarts a service on agent 2: the command completes there with a new PID', async () => {
    const before = await runningPid(server.baseUrl, 'api-2');
    const view = await run(server.baseUrl, { type: 'restart', target: 'api-2', environment: 'staging' });
    const result = view.result as { previousPids: number[]; pids: number[] };
    expect(result.previousPids).toEqual([before]);
    expect(result.pids[0]).not.toBe(before);
    expect(isAlive(result.pids[0])).toBe(true);
    expect(isAlive(before)).toBe(false);
    await eventually('the new pid listed', async () =>
      (await serviceOf(server.baseUrl, 'api-2'))?.instances[0]?.pid === result.pids[0] ? true : undefined,
    );
  }, 60_000);

  it('streams logs from agent 3 and shows a deploy there with its progress', async () => {
    const logs = await run(server.baseUrl, { type: 'logs', target: 'web-3', environment: 'staging', params: { lines: 20 } });
    expect(logs.output.some((line) => line.text.startsWith('[0] '))).toBe(true);

    const { commandId } = await submit(server.baseUrl, {
      type: 'deploy',
      target: 'web-3',
      environment: 'staging',
      params: { version: '2.0.0' },
    });
    const client = await SseClient.connect(server.baseUrl, `/api/stream?types=command.progress`);
    const view = await finished(server.baseUrl, commandId, 60_000);
    client.close();
    expect(view.state).toBe('completed');
    expect(view.progress?.percent).toBe(100);
    const progress = client.messages.filter((m) => m.id !== undefined && m.data.includes(commandId));
    expect(progress.length).toBeGreaterThan(1);
    await eventually('web-3 at 2.0.0', async () => ((await serviceOf(server.baseUrl, 'web-3'))?.version === '2.0.0' ? true : undefined));
  }, 90_000);

  it("refuses a revoked token, another host's token, undeclared services and forged definitions, running nothing", async () => {
    const position = (await getJson<{ eventLogPosition: number }>(server.baseUrl, '/api/health')).body.eventLogPosition;
    const agentHeaders = (name: string, token: string) => ({ authorization: `Bearer ${token}`, 'x-vigil-host': name });
    const hello = { agentVersion: '0.1.0', environments: [{ name: 'staging', services: [SERVICES['agent-1']] }] };

    const temporary = await enrolHost(server.baseUrl, 'temporary');
    expect((await send(server.baseUrl, 'DELETE', '/api/hosts/temporary')).status).toBe(204);
    expect(
      (await postJson(server.baseUrl, '/api/agent/hello', { agentVersion: '0.1.0' }, agentHeaders('temporary', temporary))).status,
    ).toBe(401);
    expect((await getJson(server.baseUrl, '/api/agent/stream', agentHeaders('temporary', temporary))).status).toBe(401);

    // agent-2's token presented as agent-1
    expect((await postJson(server.baseUrl, '/api/agent/hello', hello, agentHeaders('agent-1', tokens.get('agent-2') ?? ''))).status).toBe(
      401,
    );
    // a user's session is not a host token, and a host token is not a session
    expect((await postJson(server.baseUrl, '/api/agent/heartbeat', {}, { 'x-vigil-host': 'agent-1' })).status).toBe(401);
    expect((await getJson(server.baseUrl, '/api/services', { authorization: `Bearer ${tokens.get('agent-1') ?? ''}` })).status).toBe(401);

    // a command for a service nobody declared
    expect(
      (await postJson(server.baseUrl, '/api/commands', { type: 'restart', target: 'not-declared', environment: 'staging', params: {} }))
        .status,
    ).toBe(404);
    // service events for a service agent-1 did not declare
    const forgedEvent = {
      events: [{ type: 'service.started', data: { service: 'api-2', environment: 'staging', pid: 1 }, correlationId: 'x' }],
    };
    expect(
      (await postJson(server.baseUrl, '/api/agent/events', forgedEvent, agentHeaders('agent-1', tokens.get('agent-1') ?? ''))).status,
    ).toBe(403);
    // a forged definition: a key the schema does not have (e.g. a shell line), and a command that is not a program
    const forged = {
      agentVersion: '0.1.0',
      environments: [{ name: 'staging', services: [{ ...SERVICES['agent-1'], shell: 'rm -rf /' }] }],
    };
    const refused = await postJson<{ details: { path: string }[] }>(
      server.baseUrl,
      '/api/agent/hello',
      forged,
      agentHeaders('agent-1', tokens.get('agent-1') ?? ''),
    );
    expect(refused.status).toBe(400);
    // a name another host already has in that environment: refused on both sides
    const taken = { agentVersion: '0.1.0', environments: [{ name: 'staging', services: [SERVICES['agent-2']] }] };
    const conflict = await postJson<{ message: string }>(
      server.baseUrl,
      '/api/agent/hello',
      taken,
      agentHeaders('agent-1', tokens.get('agent-1') ?? ''),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toContain('already declared by host "agent-2"');
    const clashing = startAgent({
      server: server.baseUrl,
      name: 'agent-1',
      token: tokens.get('agent-1') ?? '',
      config: agentConfig([demoService({ script: 'worker', name: 'api-2' })]),
    });
    extra.push(clashing);
    expect(await clashing.exited).toBe(1);
    expect(clashing.output()).toContain('already declared by host "agent-2"');

    // Nothing of that was recorded or run: agent-1 still declares only web-1, and only the revocation's events were appended.
    expect((await host(server.baseUrl, 'agent-1'))?.services).toEqual([{ environment: 'staging', service: 'web-1' }]);
    const client = await SseClient.connect(server.baseUrl, `/api/stream?lastEventId=${position}&types=host.*,service.*,command.*`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    client.close();
    const types = client.messages.filter((m) => m.id !== undefined).map((m) => (JSON.parse(m.data) as { type: string }).type);
    expect(types.filter((type) => type.startsWith('command.') || type.startsWith('service.'))).toEqual([]);
  }, 60_000);

  it('an agent killed with kill -9 goes offline: 503 for its services, one host-offline alert; back online, no command twice', async () => {
    const before = await run(server.baseUrl, { type: 'restart', target: 'web-1', environment: 'staging' });
    const agent = agents.get('agent-1');
    agent?.kill('SIGKILL');
    await agent?.exited;
    await hostStatus(server.baseUrl, 'agent-1', 'offline', 25_000);
    const whileOffline = new Date();

    const refused = await postJson<{ message: string; details: { commandId: string } }>(server.baseUrl, '/api/commands', {
      type: 'restart',
      target: 'web-1',
      environment: 'staging',
      params: {},
    });
    expect(refused.status).toBe(503);
    expect(refused.body.message).toBe('host agent-1 is offline');
    expect((await commandView(server.baseUrl, refused.body.details.commandId)).state).toBe('denied');

    const alerts = await eventually(
      'the host-offline alert',
      async () => {
        const { body } = await getJson<{ alerts: { source: string; state: string }[] }>(server.baseUrl, '/api/alerts?rule=host-offline');
        return body.alerts.some((alert) => alert.source === 'host@agent-1') ? body.alerts : undefined;
      },
      30_000,
    );
    expect(alerts.filter((alert) => alert.source === 'host@agent-1')).toHaveLength(1);

    const restarted = agent?.restart();
    if (restarted) agents.set('agent-1', restarted);
    await hostStatus(server.baseUrl, 'agent-1', 'online');
    await runningPid(server.baseUrl, 'web-1');
    const view = await commandView(server.baseUrl, before.commandId);
    expect(view.output).toEqual(before.output);
    const starts = await startsByCommand(server.baseUrl);
    expect([...starts.values()].every((count) => count === 1)).toBe(true);
    const { body } = await getJson<{ alerts: { source: string }[] }>(server.baseUrl, '/api/alerts?rule=host-offline');
    expect(body.alerts.filter((alert) => alert.source === 'host@agent-1')).toHaveLength(1);

    // The replay shows who was online at each moment.
    const then = await replayedHosts(server.baseUrl, whileOffline);
    expect(then['agent-1']).toMatchObject({ status: 'offline', services: [{ environment: 'staging', service: 'web-1' }] });
    expect(then['agent-2'].status).toBe('online');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await replayedHosts(server.baseUrl, new Date(Date.now() - 1000)))['agent-1'].status).toBe('online');
  }, 120_000);

  it('the server killed and restarted: agents reconnect, their services never stop, samples taken meanwhile back-filled', async () => {
    const pid = await runningPid(server.baseUrl, 'api-2');
    server.kill('SIGKILL');
    await server.exited;
    const downFrom = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(isAlive(pid)).toBe(true);
    const downTo = Date.now();
    server = await server.restart();
    await hostStatus(server.baseUrl, 'agent-2', 'online');
    expect((await serviceOf(server.baseUrl, 'api-2'))?.instances[0]?.pid).toBe(pid);
    expect(isAlive(pid)).toBe(true);
    await eventually(
      'the samples of the outage in history',
      async () => ((await historyPoints(server.baseUrl, 'host@agent-2', downFrom, downTo)) >= 2 ? true : undefined),
      20_000,
    );
    // and commands reach it again
    const view = await run(server.baseUrl, { type: 'logs', target: 'api-2', environment: 'staging', params: { lines: 5 } });
    expect(view.state).toBe('completed');
  }, 120_000);
});
