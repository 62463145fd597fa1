import { eventually, getJson, logPosition, postJson } from '../support/http';
import { commandView, finished, run, submit } from '../support/commands';
import { demoProcessesOnPorts, isAlive } from '../support/processes';
import { startServer, type RunningServer } from '../support/server';
import { SseClient } from '../support/sse-client';
import { configWith, demoService } from '../support/demo-config';

const PORTS = { from: 21501, to: 21529 };

const CONFIG = configWith({
  production: [],
  staging: [
    demoService({ script: 'web-server', maxInstances: 3, ports: { from: 21501, to: 21503 }, metrics: true, deploy: true }),
    demoService({ script: 'worker', ports: { from: 21521, to: 21522 }, policy: 'on-failure' }),
  ],
});

interface ServiceBody {
  service: string;
  environment: string;
  status: string;
  version: string;
  restarts: number;
  instances: { index: number; pid: number | null; port: number | null; state: string; uptimeS: number | null; restarts: number }[];
}

async function service(baseUrl: string, name: string): Promise<ServiceBody> {
  const response = await getJson<ServiceBody[]>(baseUrl, '/api/services?environment=staging');
  const found = response.body.find((entry) => entry.service === name);
  if (!found) throw new Error(`no service ${name}`);
  return found;
}

async function health(port: number): Promise<{ version: string; pid: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return (await response.json()) as { version: string; pid: number };
}

describe('control plane with real demo services', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ config: CONFIG, supervisor: true });
    await eventually(
      'both services to run',
      async () => {
        const [web, worker] = await Promise.all([service(server.baseUrl, 'web-server'), service(server.baseUrl, 'worker')]);
        return web.status === 'running' && worker.status === 'running' ? true : undefined;
      },
      20_000,
    );
  }, 30_000);

  afterAll(async () => {
    await server.stop();
    server.cleanup();
    expect(demoProcessesOnPorts(PORTS.from, PORTS.to)).toEqual([]);
  });

  it('lists services with instances, PIDs, ports, status, version, uptime and restarts', async () => {
    const web = await service(server.baseUrl, 'web-server');
    expect(web).toMatchObject({ status: 'running', version: '1.0.0', restarts: 0 });
    expect(web.instances).toHaveLength(1);
    expect(web.instances[0]).toMatchObject({ index: 0, port: 21501, state: 'running' });
    expect(isAlive(web.instances[0].pid!)).toBe(true);
    expect(web.instances[0].uptimeS).toBeGreaterThanOrEqual(0);
    expect((await health(21501)).pid).toBe(web.instances[0].pid);
  });

  it('restart gives a new PID and the service answers HTTP again', async () => {
    const before = (await service(server.baseUrl, 'web-server')).instances[0].pid!;
    const view = await run(server.baseUrl, { type: 'restart', target: 'web-server', environment: 'staging' });
    const after = (await service(server.baseUrl, 'web-server')).instances[0].pid!;
    expect(after).not.toBe(before);
    expect(isAlive(before)).toBe(false);
    expect((await health(21501)).pid).toBe(after);
    expect(view.output.map((line) => line.text).join('\n')).toMatch(/restarted/);
  });

  it('a killed service process yields service.exited and an automatic restart', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=service.*&environment=staging');
    await client.waitFor('snapshot', (m) => m.length >= 1);
    const victim = (await service(server.baseUrl, 'worker')).instances[0].pid!;
    process.kill(victim, 'SIGKILL');
    await client.waitFor(
      'exit and restart',
      (messages) => {
        const exited = messages.findIndex((m) => m.json.type === 'service.exited' && (m.json.data as { pid: number }).pid === victim);
        return (
          exited >= 0 &&
          messages.slice(exited).some((m) => m.json.type === 'service.started' && (m.json.data as { service: string }).service === 'worker')
        );
      },
      15_000,
    );
    const exited = client.messages.find((m) => m.json.type === 'service.exited')!.json.data as { signal: string | null; expected: boolean };
    expect(exited).toMatchObject({ signal: 'SIGKILL', expected: false });
    const worker = await eventually('worker running again', async () => {
      const view = await service(server.baseUrl, 'worker');
      return view.status === 'running' ? view : undefined;
    });
    expect(worker.instances[0].pid).not.toBe(victim);
    expect(worker.restarts).toBeGreaterThanOrEqual(1);
    client.close();
  });

  it('scale 1 → 3 → 1 leaves exactly the right processes alive', async () => {
    await run(server.baseUrl, { type: 'scale', target: 'web-server', environment: 'staging', params: { instances: 3 } });
    const three = await service(server.baseUrl, 'web-server');
    expect(three.instances.filter((i) => i.state === 'running').map((i) => i.port)).toEqual([21501, 21502, 21503]);
    expect(
      demoProcessesOnPorts(21501, 21503)
        .map((p) => p.port)
        .sort(),
    ).toEqual([21501, 21502, 21503]);
    const scaledAway = three.instances.filter((i) => i.index > 0).map((i) => i.pid!);

    await run(server.baseUrl, { type: 'scale', target: 'web-server', environment: 'staging', params: { instances: 1 } });
    const one = await service(server.baseUrl, 'web-server');
    expect(one.instances.filter((i) => i.state === 'running').map((i) => i.port)).toEqual([21501]);
    for (const pid of scaledAway) expect(isAlive(pid)).toBe(false);
    expect(demoProcessesOnPorts(21501, 21503).map((p) => p.port)).toEqual([21501]);
  });

  it("logs returns the service's last lines", async () => {
    for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:21501/page/log-probe-${i}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const view = await run(server.baseUrl, { type: 'logs', target: 'web-server', environment: 'staging', params: { lines: 20 } });
    const text = view.output.map((line) => line.text);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(20);
    expect(text.filter((line) => /log-probe-\d/.test(line)).map((line) => /log-probe-(\d)/.exec(line)![1])).toEqual(['0', '1', '2']);
  });

  it('deploy streams its output in order, shows progress, and the service then reports the new version; a busy target gives 409', async () => {
    const client = await SseClient.connect(server.baseUrl, '/api/stream?types=command.*');
    await client.waitFor('snapshot', (m) => m.length >= 1);
    const { commandId } = await submit(server.baseUrl, {
      type: 'deploy',
      target: 'web-server',
      environment: 'staging',
      params: { version: '2.4.1' },
    });

    const busy = await postJson<{ message: string; details: { runningCommandId: string } }>(server.baseUrl, '/api/commands', {
      type: 'restart',
      target: 'web-server',
      environment: 'staging',
      params: {},
    });
    expect(busy.status).toBe(409);
    expect(busy.body.details.runningCommandId).toBe(commandId);
    expect(busy.body.message).toContain(commandId);

    const view = await finished(server.baseUrl, commandId, 60_000);
    expect(view.state).toBe('completed');
    const lines = view.output.map((line) => line.text);
    const steps = ['fetching build', 'verifying checksum', 'running migrations', 'switching release'].map((step) =>
      lines.findIndex((line) => line.includes(`${step}:`)),
    );
    expect(steps.every((index) => index >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(view.output.map((line) => line.seq)).toEqual(view.output.map((_, i) => i));
    const progress = client.events.filter(
      (m) => m.json.type === 'command.progress' && (m.json.data as { commandId: string }).commandId === commandId,
    );
    const percents = progress.map((m) => (m.json.data as { percent: number }).percent);
    expect(percents.length).toBeGreaterThanOrEqual(4);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(percents.at(-1)).toBe(100);

    expect((await health(21501)).version).toBe('2.4.1');
    expect((await service(server.baseUrl, 'web-server')).version).toBe('2.4.1');
    client.close();
  }, 90_000);

  it('cancel stops a running deploy', async () => {
    const { commandId } = await submit(server.baseUrl, {
      type: 'deploy',
      target: 'web-server',
      environment: 'staging',
      params: { version: '3.0.0' },
    });
    await eventually('deploy to be running', async () =>
      (await commandView(server.baseUrl, commandId)).state === 'running' ? true : undefined,
    );
    const cancel = await run(server.baseUrl, {
      type: 'cancel',
      target: commandId,
      environment: 'staging',
      params: { reason: 'wrong build' },
    });
    expect(cancel.result).toMatchObject({ cancelled: commandId });
    const deploy = await finished(server.baseUrl, commandId);
    expect(deploy.state).toBe('cancelled');
    expect(deploy.reason).toBe('wrong build');
    expect((await health(21501)).version).toBe('2.4.1');
    // The target is free again.
    await run(server.baseUrl, { type: 'restart', target: 'web-server', environment: 'staging' });
  }, 60_000);

  it.each([
    [
      'negative scale',
      { type: 'scale', target: 'web-server', environment: 'staging', params: { instances: -1 } },
      400,
      'body.params.instances',
    ],
    [
      'scale over maxInstances',
      { type: 'scale', target: 'web-server', environment: 'staging', params: { instances: 9 } },
      400,
      'body.params.instances',
    ],
    [
      'a version with shell metacharacters',
      { type: 'deploy', target: 'web-server', environment: 'staging', params: { version: '1.0; rm -rf /' } },
      400,
      'body.params.version',
    ],
    [
      'a version with command substitution',
      { type: 'deploy', target: 'web-server', environment: 'staging', params: { version: '$(reboot)' } },
      400,
      'body.params.version',
    ],
    ['an unknown service', { type: 'restart', target: 'no-such-service', environment: 'staging', params: {} }, 404, undefined],
    [
      'a deploy without a deploy step',
      { type: 'deploy', target: 'worker', environment: 'staging', params: { version: '1.1.0' } },
      400,
      'body.target',
    ],
    [
      'cancel of a command that is not running',
      { type: 'cancel', target: '6f1c2a51-0000-4000-8000-000000000000', environment: 'staging', params: {} },
      404,
      undefined,
    ],
    [
      'logs with too many lines',
      { type: 'logs', target: 'web-server', environment: 'staging', params: { lines: 5000 } },
      400,
      'body.params.lines',
    ],
  ])('refuses %s with %d and writes no event', async (_name, body, status, path) => {
    const before = await logPosition(server.baseUrl);
    const response = await postJson<{ details?: { path: string }[] }>(server.baseUrl, '/api/commands', body);
    expect(response.status).toBe(status);
    if (path) expect(response.body.details?.map((detail) => detail.path)).toContain(path);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = await logPosition(server.baseUrl);
    // Service events (metrics-free) may still arrive from the supervisor; no command event may.
    const events = await SseClient.connect(server.baseUrl, '/api/stream?types=command.*', { 'last-event-id': String(before) });
    await new Promise((resolve) => setTimeout(resolve, 200));
    events.close();
    expect(events.events.filter((m) => Number(m.id) <= after)).toEqual([]);
  });
});
