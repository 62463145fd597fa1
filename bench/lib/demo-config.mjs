// The repo's vigil.config.yaml with every service port moved into a given range, so a
// script runs the full demo fleet without touching the default ports (or another
// engineer's range). The traffic generator's targets follow their services.
import { parse, stringify } from 'yaml';
import { REPO_CONFIG_YAML } from './server.mjs';

export function relocatedDemoConfig({ portFrom, portTo, extraRules = [] }) {
  const config = parse(REPO_CONFIG_YAML);
  const moved = new Map();
  let next = portFrom;
  for (const environment of config.environments) {
    for (const service of environment.services) {
      if (!service.ports) continue;
      const span = service.ports.to - service.ports.from;
      for (let i = 0; i <= span; i++) moved.set(service.ports.from + i, next + i);
      service.ports = { from: next, to: next + span };
      next += span + 1;
    }
  }
  if (next - 1 > portTo) throw new Error(`the demo fleet needs ports ${portFrom}-${next - 1}, more than ${portFrom}-${portTo}`);
  for (const environment of config.environments) {
    for (const service of environment.services) {
      if (!service.env?.TRAFFIC_TARGETS) continue;
      service.env.TRAFFIC_TARGETS = service.env.TRAFFIC_TARGETS.replace(/:(\d+)/g, (text, port) =>
        moved.has(Number(port)) ? `:${moved.get(Number(port))}` : text,
      );
    }
  }
  config.alerts.rules.push(...extraRules);
  return stringify(config);
}
