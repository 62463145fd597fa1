import type { CommandView, ServiceView } from '@vigil/shared';
import { ADMIN, OPERATOR, VIEWER } from '../../../testing/users';
import {
  activityRow,
  completionMessage,
  confirmationMessage,
  controlState,
  formatDuration,
  formatUptime,
  scaleError,
  serviceRow,
  serviceRowsFor,
  versionError,
  visibleEnvironments,
} from './services-view';

const NOW = Date.parse('2026-01-01T00:10:00.000Z');

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
  it('formats uptimes', () => {
    expect(formatUptime(null)).toBe('—');
    expect(formatUptime(42.7)).toBe('42s');
    expect(formatUptime(75)).toBe('1m 15s');
    expect(formatUptime(3_700)).toBe('1h 1m');
    expect(formatUptime(90_000)).toBe('1d 1h');
  });

  it('formats durations', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2m 5s');
  });

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
    });
    const stopped = serviceRow(service('staging', 'x', { instances: [] }), NOW);
    expect(stopped).toMatchObject({ status: 'stopped', pids: '—', uptime: '—', running: 0 });
  });

  it("keeps one environment's rows, by name", () => {
    const rows = serviceRowsFor([service('staging', 'worker'), service('production', 'web'), service('staging', 'api')], 'staging', NOW);
    expect(rows.map((row) => row.service)).toEqual(['api', 'worker']);
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
    expect(scaleError(10)).toBeNull();
    expect(scaleError(11)).toBe('Instances must be between 0 and 10.');
    expect(scaleError(-1)).toBe('Instances must be between 0 and 10.');
    expect(scaleError(1.5)).toBe('Enter a whole number of instances.');
    expect(scaleError('')).toBe('Enter a whole number of instances.');
    expect(versionError('2.1.0')).toBeNull();
    expect(versionError('  ')).toBe('Enter a version.');
    expect(versionError('1.0; rm -rf /')).toBe('Letters, digits, ".", "_", "+" and "-" only.');
  });
});

describe('activity feed', () => {
  const deploy: CommandView = {
    commandId: 'c-1',
    type: 'deploy',
    target: 'web-server',
    environment: 'staging',
    params: { version: '2.1.0' },
    state: 'running',
    actor: { id: 'u', username: 'olivia', roles: ['operator'] },
    acceptedAt: '2026-01-01T00:09:00.000Z',
    acceptedPosition: 3,
    startedAt: '2026-01-01T00:09:50.000Z',
    progress: { percent: 42.4, step: 'build' },
    output: [],
    position: 5,
  };

  it('shows who, what, where, a running duration and deploy progress', () => {
    expect(activityRow(deploy, NOW)).toEqual({
      commandId: 'c-1',
      who: 'olivia',
      what: 'deploy',
      target: 'web-server',
      environment: 'staging',
      state: 'running',
      duration: '10.0 s',
      deploy: true,
      percent: 42,
      step: 'build',
      terminal: false,
    });
  });

  it('uses the reported duration once finished and no progress bar for other commands', () => {
    const done = activityRow(
      { ...deploy, type: 'restart', state: 'completed', durationMs: 1_234, progress: undefined, actor: undefined },
      NOW,
    );
    expect(done).toMatchObject({ who: 'system', duration: '1.2 s', deploy: false, percent: null, terminal: true });
  });

  it('shows a deploy indeterminate before its first report, full when completed, and where it stopped otherwise', () => {
    const rowOf = (changes: Partial<CommandView>) => activityRow({ ...deploy, ...changes }, NOW);
    expect(rowOf({ progress: undefined })).toMatchObject({ deploy: true, percent: null, step: null });
    expect(rowOf({ state: 'completed', progress: { percent: 80, step: 'rolling restart' } })).toMatchObject({ percent: 100 });
    expect(rowOf({ state: 'failed', progress: { percent: 60, step: 'verify' } })).toMatchObject({ percent: 60, step: 'verify' });
    expect(rowOf({ state: 'failed', progress: undefined })).toMatchObject({ percent: 0 });
  });

  it('words completions and failures for the snack bar', () => {
    expect(completionMessage({ ...deploy, state: 'completed' })).toBe('Completed: deploy web-server in staging');
    expect(completionMessage({ ...deploy, state: 'failed', reason: 'exit 1' })).toBe('Failed: deploy web-server in staging (exit 1)');
  });
});
