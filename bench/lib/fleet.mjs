// The demo fleet (the services of the repo's vigil.config.yaml, supervised by the
// server) for benches that run Vigil with it on: the config with every service port
// moved into a range of its own (lib/demo-config.mjs), checked free first, and the
// fleet's state from GET /api/services.
import net from 'node:net';
import { parse } from 'yaml';
import { relocatedDemoConfig } from './demo-config.mjs';
import { getJson } from './http.mjs';
import { REPO_CONFIG_YAML } from './server.mjs';

const REPO_CONFIG = parse(REPO_CONFIG_YAML);

/** Instances the repo's config starts: the demo fleet's size. */
export const FLEET_INSTANCES = REPO_CONFIG.environments.flatMap((e) => e.services).reduce((sum, svc) => sum + (svc.instances ?? 1), 0);

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The repo's config with the services on ports from `portFrom` (at most `portTo`);
 * throws if one of those ports on 127.0.0.1 is taken.
 */
export async function fleetConfigYaml({ portFrom, portTo = portFrom + 99 }) {
  const yaml = relocatedDemoConfig({ portFrom, portTo });
  const ports = parse(yaml)
    .environments.flatMap((e) => e.services)
    .flatMap((svc) => (svc.ports ? Array.from({ length: svc.ports.to - svc.ports.from + 1 }, (_, i) => svc.ports.from + i) : []));
  for (const port of ports) {
    if (!(await portFree(port))) throw new Error(`port ${port} on 127.0.0.1 is taken; choose another range with --port-from`);
  }
  return yaml;
}

/** Running and desired instances over every configured environment. */
export async function fleetStatus(server) {
  let running = 0;
  let desired = 0;
  for (const environment of REPO_CONFIG.environments) {
    const services = await getJson(`${server.base}/api/services?environment=${environment.name}`, { headers: server.headers });
    for (const svc of services) {
      desired += svc.desiredInstances;
      running += svc.instances.filter((instance) => instance.state === 'running').length;
    }
  }
  return { running, desired };
}

/** Polls until every desired instance runs or `timeoutMs` passes; answers the last status. */
export async function waitForFleet(server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fleetStatus(server).catch(() => ({ running: 0, desired: FLEET_INSTANCES }));
    if ((status.desired > 0 && status.running >= status.desired) || Date.now() > deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
