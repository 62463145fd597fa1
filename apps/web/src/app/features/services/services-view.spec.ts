import { MAX_INSTANCES, type ServiceView } from '@vigil/shared';
import { ADMIN, OPERATOR, VIEWER } from '../../../testing/users';
import {
  completionMessage,
  confirmationMessage,
  controlState,
  hostChoices,
  scaleError,
  serviceRow,
  serviceRowsFor,
  versionError,
  visibleEnvironments,
} from './services-view';

const NOW = Date.parse('2026-01-01T00:10:00.000Z');

/** A role whose one grant is limited to the edge hosts. */
const ROLE_EDGE = {
  role: 'edge',
  grants: { environments: ['*'], commands: [{ types: ['*'], targets: ['*'], environments: ['*'], hosts: ['edge-*'] }], capabilities: [] },
};

function service(environment: string, name: string, overrides: Partial<ServiceView> = {}): ServiceView {
  return {
    environment,
    service: name,
    version: '1.0.0',
    desiredInstances: 2,
    instances: [
      { index: 0, pid: 101, port: 21801, state: 'running', startedAt: '2026-01-01T00:00:00.000Z', restarts: 0 },
      { index: 1, pid: null, port: 21802, state: 'crashed', startedAt: '2026-01-01T00:05:00.000Z', restarts: 2 },
    ],
    restarts: 2,
    position: 7,
    ...overrides,
  };
}

describe('controlState (permission → disabled reason)', () => {
  it('lets an operator run anything in staging', () => {
    for (const type of ['restart', 'stop', 'start', 'scale', 'deploy', 'logs'] as const) {
      expect(controlState(OPERATOR, type, 'web-server', 'staging')).toEqual({ allowed: true, reason: null });
    }
  });

  it("disables an operator's production deploy with the denial reason, but allows logs", () => {
    expect(controlState(OPERATOR, 'deploy', 'web-server', 'production')).toEqual({
      allowed: false,
      reason: 'role "operator" may not run deploy on web-server in production',
    });
    expect(controlState(OPERATOR, 'logs', 'web-server', 'production').allowed).toBe(true);
  });

  it('disables everything for a viewer and nothing for an admin', () => {
    expect(controlState(VIEWER, 'restart', 'web-server', 'staging')).toEqual({
      allowed: false,
      reason: 'role "viewer" may not run restart on web-server in staging',
    });
    expect(controlState(ADMIN, 'deploy', 'web-server', 'production').allowed).toBe(true);
  });

  it('says "not signed in" without a user', () => {
    expect(controlState(null, 'start', 'web-server', 'staging')).toEqual({ allowed: false, reason: 'not signed in' });
  });
});

describe('visibleEnvironments', () => {
  const services = [service('staging', 'a'), service('production', 'a'), service('staging', 'b')];

  it('lists each viewable environment once, sorted', () => {
    expect(visibleEnvironments(ADMIN, services)).toEqual(['production', 'staging']);
  });

  it('leaves out environments the role may not view', () => {
    const stagingOnly = { ...VIEWER, grants: { ...VIEWER.grants, environments: ['staging'] } };
    expect(visibleEnvironments(stagingOnly, services)).toEqual(['staging']);
    expect(visibleEnvironments(null, services)).toEqual([]);
  });
});

describe('formatting', () => {
  it('builds a service row: running/desired, PIDs of running instances, uptime, restarts', () => {
    expect(serviceRow(service('staging', 'web-server'), NOW)).toEqual({
      key: 'staging/web-server',
      environment: 'staging',
      service: 'web-server',
      status: 'degraded',
      version: '1.0.0',
      running: 1,
      desired: 2,
      pids: '101',
      uptime: '10m 0s',
      restarts: 2,
      host: '',
    });
    const stopped = serviceRow(service('staging', 'x', { instances: [] }), NOW);
    expect(stopped).toMatchObject({ status: 'stopped', pids: '—', uptime: '—', running: 0 });
  });

  it("keeps one environment's rows, by name", () => {
    const rows = serviceRowsFor([service('staging', 'worker'), service('production', 'web'), service('staging', 'api')], 'staging', NOW);
    expect(rows.map((row) => row.service)).toEqual(['api', 'worker']);
  });

  it("filters rows by host ('' = this server) and lists the hosts, this server first", () => {
    const views = [service('staging', 'a'), { ...service('staging', 'b'), host: 'edge-1' }, { ...service('staging', 'c'), host: 'core-1' }];
    expect(serviceRowsFor(views, 'staging', NOW, 'edge-1').map((row) => [row.service, row.host])).toEqual([['b', 'edge-1']]);
    expect(serviceRowsFor(views, 'staging', NOW, '').map((row) => row.service)).toEqual(['a']);
    expect(hostChoices(views)).toEqual(['', 'core-1', 'edge-1']);
    expect(controlState(ROLE_EDGE, 'restart', 'b', 'staging', 'edge-1').allowed).toBe(true);
    expect(controlState(ROLE_EDGE, 'restart', 'c', 'staging', 'core-1')).toEqual({
      allowed: false,
      reason: 'role "edge" may not run restart on c in staging (host core-1)',
    });
  });

  it('names the environment in confirmations', () => {
    expect(confirmationMessage('deploy', 'web-server', 'production', { version: '2.1.0' })).toBe('Deploy web-server 2.1.0 to production?');
    expect(confirmationMessage('restart', 'web-server', 'staging')).toBe('Restart web-server in staging?');
    expect(confirmationMessage('stop', 'web-server', 'staging')).toBe('Stop web-server in staging?');
    expect(confirmationMessage('scale', 'web-server', 'staging', { instances: 1 })).toBe('Scale web-server in staging to 1 instance?');
    expect(confirmationMessage('scale', 'web-server', 'staging', { instances: 3 })).toBe('Scale web-server in staging to 3 instances?');
  });

  it('validates scale and version inputs', () => {
    expect(scaleError(0)).toBeNull();
    // The bound is the scale command's own (the API's), not one of the page's.
    expect(scaleError(MAX_INSTANCES)).toBeNull();
    expect(scaleError(MAX_INSTANCES + 1)).toBe(`Instances must be between 0 and ${MAX_INSTANCES}.`);
    expect(scaleError(-1)).toBe(`Instances must be between 0 and ${MAX_INSTANCES}.`);
    expect(scaleError(1.5)).toBe('Enter a whole number of instances.');
    expect(scaleError('')).toBe('Enter a whole number of instances.');
    expect(versionError('2.1.0')).toBeNull();
    expect(versionError('  ')).toBe('Enter a version.');
    expect(versionError('1.0; rm -rf /')).toBe('Letters, digits, ".", "_", "+" and "-" only.');
  });
});

describe('completion messages', () => {
  const deploy = { type: 'deploy', target: 'web-server', environment: 'staging' } as const;

  it('words completions and failures for the snack bar', () => {
    expect(completionMessage({ ...deploy, state: 'completed' })).toBe('Completed: deploy web-server in staging');
    expect(completionMessage({ ...deploy, state: 'failed', reason: 'exit 1' })).toBe('Failed: deploy web-server in staging (exit 1)');
  });
});
