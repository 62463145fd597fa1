import type { ServiceView } from '@vigil/shared';
import { serviceSummary } from './service-summary';

const view: ServiceView = {
  environment: 'staging',
  service: 'web',
  version: '1.0.0',
  desiredInstances: 2,
  instances: [
    { index: 0, pid: 10, port: 8000, state: 'running', startedAt: '2026-11-27T03:00:00.000Z', restarts: 0 },
    { index: 1, pid: null, port: 8001, state: 'stopped', startedAt: '2026-11-27T02:00:00.000Z', restarts: 1 },
  ],
  restarts: 1,
  position: 7,
};

describe('serviceSummary', () => {
  it("adds the status and each running instance's uptime at the given time", () => {
    const summary = serviceSummary(view, Date.parse('2026-11-27T03:01:30.400Z'));
    expect(summary.status).toBe('degraded');
    expect(summary.instances.map((instance) => instance.uptimeS)).toEqual([90, null]);
    expect(summary).toMatchObject({ environment: 'staging', service: 'web', position: 7 });
  });
});
