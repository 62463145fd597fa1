import { eventually, getJson } from '../support/http';
import { commandView, submit } from '../support/commands';
import { demoProcessesOnPorts } from '../support/processes';
import { startServer } from '../support/server';
import { configWith, demoService } from '../support/demo-config';

const CONFIG = configWith({
  staging: [
    demoService({ script: 'web-server', instances: 2, ports: { from: 21601, to: 21602 }, deploy: true }),
    demoService({ script: 'api-server', ports: { from: 21611, to: 21614 } }),
  ],
});

interface ServiceBody {
  service: string;
  status: string;
  instances: { pid: number | null; port: number | null; state: string }[];
}

async function allRunning(baseUrl: string): Promise<ServiceBody[] | undefined> {
  const services = (await getJson<ServiceBody[]>(baseUrl, '/api/services?environment=staging')).body;
  return services.every((service) => service.status === 'running') ? services : undefined;
}

/** Vigil killed with SIGKILL in the middle of a deploy, then started again on the same data dir. */
describe('kill -9 of Vigil during a deploy', () => {
  it('marks the deploy interrupted, leaves no orphan, and runs every service exactly once', async () => {
    const first = await startServer({ config: CONFIG, supervisor: true });
    await eventually('services up', () => allRunning(first.baseUrl), 20_000);
    const { commandId } = await submit(first.baseUrl, {
      type: 'deploy',
      target: 'web-server',
      environment: 'staging',
      params: { version: '9.9.9' },
    });
    await eventually('deploy to be running', async () =>
      (await commandView(first.baseUrl, commandId)).state === 'running' ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.kill('SIGKILL');
    await first.exited;

    const second = await startServer({ dataDir: first.dataDir, config: CONFIG, supervisor: true });
    try {
      expect((await commandView(second.baseUrl, commandId)).state).toBe('interrupted');
      const services = await eventually('services up again', () => allRunning(second.baseUrl), 20_000);
      // Exactly one process per configured instance, and they are the ones the new Vigil started.
      const processes = demoProcessesOnPorts(21601, 21614);
      expect(processes.map((p) => p.port).sort()).toEqual([21601, 21602, 21611]);
      const known = new Set(services.flatMap((service) => service.instances.map((instance) => instance.pid)));
      for (const process of processes) expect(known.has(process.pid)).toBe(true);
    } finally {
      await second.stop();
      second.cleanup();
    }
    expect(demoProcessesOnPorts(21601, 21614)).toEqual([]);
  }, 90_000);
});
