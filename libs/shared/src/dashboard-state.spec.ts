import { foldCommand } from './command-view';
import { evolveDashboard } from './dashboard-reducer';
import { DASHBOARD_LIMITS, dashboardForEnvironment, initialDashboardState } from './dashboard-state';
import type { EventType, StoredEvent } from './events';

let position = 0;
function event<T extends EventType>(type: T, data: StoredEvent<T>['data'], environment = 'staging'): StoredEvent {
  position += 1;
  return {
    position,
    stream: `command-${(data as { commandId?: string }).commandId ?? 'x'}`,
    version: 1,
    type,
    data,
    meta: { correlationId: 'c', environment, actor: { id: 'ann', username: 'ann', roles: [] } },
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
    hash: 'h',
  } as StoredEvent;
}

function commandEvents(commandId: string, environment = 'staging'): StoredEvent[] {
  return [
    event('command.accepted', { commandId, type: 'ping', target: 'vigil', environment, params: {}, requestHash: 'r' }, environment),
    event('command.started', { commandId }, environment),
    event('command.output', { commandId, seq: 0, lines: [{ stream: 'stdout', text: 'pong', time: 't' }] }, environment),
    event('command.completed', { commandId, durationMs: 3, exitCode: 0 }, environment),
  ];
}

describe('the dashboard reducer', () => {
  beforeEach(() => {
    position = 0;
  });

  it('folds a command through its lifecycle', () => {
    const state = commandEvents('a').reduce(evolveDashboard, initialDashboardState());
    expect(state.position).toBe(4);
    expect(state.commands).toHaveLength(1);
    expect(state.commands[0]).toMatchObject({
      commandId: 'a',
      state: 'completed',
      durationMs: 3,
      exitCode: 0,
      output: [{ seq: 0, text: 'pong' }],
    });
    expect(state.recentEvents.map((summary) => summary.position)).toEqual([4, 3, 2, 1]);
  });

  it('ignores events at or below the folded position, so re-delivery is harmless', () => {
    const events = commandEvents('a');
    const once = events.reduce(evolveDashboard, initialDashboardState());
    const twice = [...events, ...events].reduce(evolveDashboard, initialDashboardState());
    expect(twice).toEqual(once);
  });

  it('replaces the state with a snapshot and goes on from its position', () => {
    const events = commandEvents('a');
    const upToTwo = events.slice(0, 2).reduce(evolveDashboard, initialDashboardState());
    const resumed = events
      .slice(2)
      .reduce(evolveDashboard, evolveDashboard(initialDashboardState(), { type: 'snapshot', position: 2, state: upToTwo }));
    expect(resumed).toEqual(events.reduce(evolveDashboard, initialDashboardState()));
  });

  it('keeps at most the configured number of commands, newest first', () => {
    let state = initialDashboardState();
    for (let i = 0; i < DASHBOARD_LIMITS.commands + 5; i++) {
      for (const e of commandEvents(`c${i}`)) state = evolveDashboard(state, e);
    }
    expect(state.commands).toHaveLength(DASHBOARD_LIMITS.commands);
    expect(state.commands[0].commandId).toBe(`c${DASHBOARD_LIMITS.commands + 4}`);
  });

  it('shows one environment only what belongs to it', () => {
    const state = [...commandEvents('p', 'production'), ...commandEvents('s', 'staging')].reduce(evolveDashboard, initialDashboardState());
    const staging = dashboardForEnvironment(state, 'staging');
    expect(staging.commands.map((command) => command.commandId)).toEqual(['s']);
    expect(staging.recentEvents.every((summary) => summary.environment === 'staging')).toBe(true);
  });

  it('folds one command stream the same way the API reports it', () => {
    const view = foldCommand(commandEvents('z'));
    expect(view).toMatchObject({ commandId: 'z', state: 'completed', acceptedPosition: 1, position: 4 });
  });
});

describe('metrics in the dashboard state', () => {
  it('keeps the latest sample per source and leaves the log position alone', () => {
    let state = initialDashboardState();
    state = evolveDashboard(state, { type: 'metrics', source: 'host', time: 't1', values: { cpuPercent: 10 } });
    state = evolveDashboard(state, { type: 'metrics', source: 'host', time: 't2', values: { cpuPercent: 20 } });
    state = evolveDashboard(state, { type: 'metrics', source: 'web', environment: 'staging', time: 't2', values: { rps: 3 } });
    expect(state.position).toBe(0);
    expect(Object.keys(state.metrics).sort()).toEqual(['*/host', 'staging/web']);
    expect(state.metrics['*/host']).toEqual({ source: 'host', time: 't2', values: { cpuPercent: 20 } });
    expect(Object.keys(dashboardForEnvironment(state, 'production').metrics)).toEqual(['*/host']);
  });
});

describe('alerts in the dashboard state', () => {
  it('adds a raised alert, marks it resolved, and shows an environment only its own', () => {
    let position = 100;
    const alertEvent = (type: 'alert.raised' | 'alert.resolved', data: Record<string, unknown>, environment: string): StoredEvent =>
      ({
        position: ++position,
        stream: `alert-${String(data.alertId)}`,
        version: 1,
        type,
        data,
        meta: { correlationId: 'c', environment },
        time: new Date(Date.UTC(2026, 0, 1, 0, 0, position)).toISOString(),
        hash: 'h',
      }) as unknown as StoredEvent;
    const raised = {
      alertId: 'a1',
      rule: { name: 'cpu', kind: 'threshold' },
      source: 'host',
      environment: 'staging',
      metric: 'cpu_percent',
      value: 95,
      threshold: 90,
      severity: 'critical',
      labels: {},
      message: 'cpu high',
      startedAt: '2026-01-01T00:00:00.000Z',
    };
    let state = evolveDashboard(initialDashboardState(), alertEvent('alert.raised', raised, 'staging'));
    expect(state.alerts.map((alert) => [alert.alertId, alert.state])).toEqual([['a1', 'firing']]);
    state = evolveDashboard(
      state,
      alertEvent('alert.resolved', { alertId: 'a1', rule: 'cpu', value: 50, resolvedAt: '2026-01-01T00:05:00.000Z' }, 'staging'),
    );
    expect(state.alerts.map((alert) => [alert.alertId, alert.state])).toEqual([['a1', 'resolved']]);
    expect(dashboardForEnvironment(state, 'production').alerts).toEqual([]);
  });
});
