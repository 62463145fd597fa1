import { foldDashboard } from './dashboard-fold';
import { evolveDashboard } from './dashboard-reducer';
import { initialDashboardState } from './dashboard-state';
import type { EventMeta, StoredEvent } from './events';
import type { HostView } from './host-events';
import { evolveHosts, hostOfService } from './host-view';

let position = 0;
function event(type: string, data: Record<string, unknown>, meta: Partial<EventMeta> = {}): StoredEvent {
  position += 1;
  return {
    position,
    stream: `host-${typeof data.name === 'string' ? data.name : 'x'}`,
    version: 1,
    type,
    data,
    meta: { correlationId: 'c', ...meta },
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    hash: 'h',
  } as unknown as StoredEvent;
}

const EVENTS = [
  event('host.enrolled', { name: 'edge-1', labels: { rack: 'r1' }, tokenHash: 'secret' }),
  event('host.declared', { name: 'edge-1', services: [{ environment: 'staging', service: 'web' }] }),
  event('host.online', { name: 'edge-1', agentVersion: '0.1.0' }),
  event('service.started', { service: 'web', environment: 'staging', instance: 0, pid: 10 }, { host: 'edge-1', environment: 'staging' }),
  event('host.offline', { name: 'edge-1', lastSeenAt: '2026-01-01T00:00:04.000Z', reason: 'silent' }),
];

describe('hosts in the dashboard state', () => {
  it('folds enrolment, declared services and presence, never keeping the token hash', () => {
    const hosts = EVENTS.slice(0, 3).reduce<Record<string, HostView>>(evolveHosts, {});
    expect(hosts['edge-1']).toMatchObject({ status: 'online', agentVersion: '0.1.0', labels: { rack: 'r1' } });
    expect(JSON.stringify(hosts)).not.toContain('secret');
    expect(hostOfService(hosts, 'staging', 'web')).toBe('edge-1');
    expect(hostOfService(evolveHosts(hosts, event('host.revoked', { name: 'edge-1' })), 'staging', 'web')).toBeUndefined();
  });

  it('shows who was online at each moment, and each service with its host, the same by reducer and by batch fold', () => {
    const byReducer = EVENTS.reduce(evolveDashboard, initialDashboardState());
    expect(byReducer.hosts?.['edge-1'].status).toBe('offline');
    expect(byReducer.services['staging/web'].host).toBe('edge-1');
    expect(EVENTS.slice(0, 4).reduce(evolveDashboard, initialDashboardState()).hosts?.['edge-1'].status).toBe('online');
    expect(foldDashboard(initialDashboardState(), EVENTS)).toEqual(byReducer);
  });
});
