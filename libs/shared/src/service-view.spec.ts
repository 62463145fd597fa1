import type { EventType, StoredEvent } from './events';
import { evolveService, serviceStatus, type ServiceView } from './service-view';

let position = 0;
function event(type: EventType, data: Record<string, unknown>): StoredEvent {
  position += 1;
  return {
    position,
    stream: 'service-web@staging',
    version: position,
    type,
    data: { service: 'web', environment: 'staging', ...data },
    meta: { correlationId: 'c', environment: 'staging' },
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    hash: 'h',
  } as StoredEvent;
}

function fold(events: StoredEvent[]): ServiceView {
  return events.reduce<ServiceView | undefined>(evolveService, undefined)!;
}

describe('evolveService', () => {
  beforeEach(() => {
    position = 0;
  });

  it('tracks instances through start, crash, restart, scale and deploy', () => {
    const view = fold([
      event('service.started', { instance: 0, pid: 100, port: 4100, version: '1.0.0' }),
      event('service.exited', { instance: 0, pid: 100, code: 1, signal: null, expected: false }),
      event('service.started', { instance: 0, pid: 101, port: 4100, version: '1.0.0', reason: 'policy' }),
      event('service.scaled', { from: 1, to: 2 }),
      event('service.started', { instance: 1, pid: 102, port: 4101, version: '1.0.0' }),
      event('service.deployed', { version: '2.0.0', previousVersion: '1.0.0' }),
    ]);
    expect(view.instances.map((i) => [i.index, i.pid, i.state, i.restarts])).toEqual([
      [0, 101, 'running', 1],
      [1, 102, 'running', 0],
    ]);
    expect(view.restarts).toBe(1);
    expect(view.desiredInstances).toBe(2);
    expect(view.version).toBe('2.0.0');
    expect(view.lastDeploy).toMatchObject({ version: '2.0.0', previousVersion: '1.0.0' });
    expect(serviceStatus(view)).toBe('running');
  });

  it('marks a crash as crashed and a commanded stop as stopped', () => {
    const crashed = fold([
      event('service.started', { instance: 0, pid: 1 }),
      event('service.exited', { instance: 0, code: null, signal: 'SIGKILL', expected: false }),
    ]);
    expect(crashed.instances[0]).toMatchObject({ state: 'crashed', pid: null, lastExit: { signal: 'SIGKILL', expected: false } });
    expect(serviceStatus(crashed)).toBe('stopped');
    const stopped = fold([event('service.started', { instance: 0, pid: 1 }), event('service.stopped', { instance: 0, pid: 1 })]);
    expect(stopped.instances[0].state).toBe('stopped');
  });

  it('counts neither boot nor commanded starts as restarts, and drops instances scaled away once stopped', () => {
    const view = fold([
      event('service.started', { instance: 0, pid: 1 }),
      event('service.started', { instance: 1, pid: 2 }),
      event('service.stopped', { instance: 1, pid: 2 }),
      event('service.scaled', { from: 2, to: 1 }),
      event('service.exited', { instance: 0, pid: 1, code: 0, expected: true }),
      event('service.started', { instance: 0, pid: 3, reason: 'boot' }),
      event('service.started', { instance: 0, pid: 4, reason: 'command' }),
    ]);
    expect(view.instances.map((i) => i.index)).toEqual([0]);
    expect(view.restarts).toBe(0);
  });
});
