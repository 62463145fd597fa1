import { realisticStoredEventChunks } from '../../../bench/lib/realistic-events.mjs';
import { DashboardFold, foldDashboard } from './dashboard-fold';
import { evolveDashboard } from './dashboard-reducer';
import { DASHBOARD_LIMITS, initialDashboardState, type DashboardState } from './dashboard-state';
import type { EventType, StoredEvent } from './events';

/** Seeded PRNG (mulberry32), so a failing sequence can be reproduced from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ENVIRONMENTS = ['production', 'staging'];
const SERVICES = ['web-server', 'api-server', 'worker'];
const ACTORS = [
  { id: 'u-1', username: 'ann', roles: ['admin'] },
  { id: 'u-2', username: 'bob', roles: ['operator'] },
];

/**
 * A realistic but adversarial event sequence: command lifecycles interleaved (output
 * batches large enough to pass the line limit, progress, every outcome, events of
 * unknown or dropped commands, a re-accepted id), services, alerts (more than the
 * limit, some left firing), other event types, and re-delivered events at or below
 * the position.
 */
function generate(seed: number, count: number): StoredEvent[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const events: StoredEvent[] = [];
  const commands: string[] = [];
  const alerts: string[] = [];
  let position = 0;
  let commandCount = 0;
  let alertCount = 0;
  const push = (type: EventType, stream: string, data: unknown, environment = pick(ENVIRONMENTS)): void => {
    if (next() < 0.05 && events.length > 0) {
      events.push(pick(events)); // re-delivery of an earlier event
      return;
    }
    position += next() < 0.02 ? 2 : 1; // positions the fold never sees (another viewer's filter)
    events.push({
      position,
      stream,
      version: 1,
      type,
      data,
      meta: {
        correlationId: `c-${position}`,
        environment,
        actor: next() < 0.8 ? pick(ACTORS) : undefined,
        ip: next() < 0.5 ? '10.0.0.1' : undefined,
      },
      time: new Date(Date.UTC(2026, 10, 1) + position * 7).toISOString(),
      hash: `h-${position}`,
    } as StoredEvent);
  };
  while (events.length < count) {
    const roll = next();
    if (roll < 0.2 || commands.length === 0) {
      const commandId = next() < 0.02 && commands.length > 0 ? pick(commands) : `cmd-${seed}-${++commandCount}`;
      commands.push(commandId);
      const environment = pick(ENVIRONMENTS);
      if (next() < 0.1)
        push(
          'command.denied',
          `command-${commandId}`,
          { commandId, type: 'deploy', target: pick(SERVICES), environment, reason: 'role' },
          environment,
        );
      else
        push(
          'command.accepted',
          `command-${commandId}`,
          {
            commandId,
            type: pick(['restart', 'logs', 'deploy']),
            target: pick(SERVICES),
            environment,
            params: { n: commandCount },
            requestHash: 'r',
          },
          environment,
        );
    } else if (roll < 0.75) {
      // Mostly recent commands, sometimes long-dropped or unknown ones.
      const commandId =
        next() < 0.05 ? `unknown-${position}` : commands[Math.max(0, commands.length - 1 - Math.floor(next() * (next() < 0.1 ? 300 : 8)))];
      const stream = `command-${commandId}`;
      const kind = next();
      if (kind < 0.15) push('command.started', stream, { commandId });
      else if (kind < 0.6) {
        const lines = Array.from({ length: next() < 0.1 ? 150 + Math.floor(next() * 100) : 1 + Math.floor(next() * 5) }, (_, i) => ({
          stream: next() < 0.8 ? 'stdout' : 'stderr',
          text: `line ${position}.${i}`,
          time: new Date(Date.UTC(2026, 10, 1) + position).toISOString(),
        }));
        push('command.output', stream, { commandId, seq: Math.floor(next() * 1000), lines });
      } else if (kind < 0.7) push('command.progress', stream, { commandId, percent: Math.floor(next() * 100), step: 'rolling' });
      else if (kind < 0.82)
        push(
          'command.completed',
          stream,
          next() < 0.5 ? { commandId, durationMs: 12, exitCode: 0, result: { ok: true } } : { commandId, durationMs: 3 },
        );
      else if (kind < 0.9)
        push('command.failed', stream, { commandId, durationMs: 40, reason: 'exit 1', exitCode: next() < 0.5 ? 1 : undefined });
      else if (kind < 0.95) push('command.cancelled', stream, { commandId, durationMs: 5, reason: 'cancelled', by: 'ann' });
      else push('command.interrupted', stream, { commandId, reason: 'server stopped' });
    } else if (roll < 0.85) {
      const service = pick(SERVICES);
      const environment = pick(ENVIRONMENTS);
      const type = pick(['service.started', 'service.exited', 'service.stopped', 'service.scaled', 'service.deployed'] as const);
      push(
        type,
        `service-${service}@${environment}`,
        {
          service,
          environment,
          instance: Math.floor(next() * 3),
          pid: 100 + position,
          port: 4000,
          reason: pick(['policy', 'command']),
          code: 1,
          expected: next() < 0.5,
          to: 1 + Math.floor(next() * 3),
          version: `v${position}`,
        },
        environment,
      );
    } else if (roll < 0.95) {
      const kind = next();
      if (kind < 0.45 || alerts.length === 0) {
        const alertId = `a-${seed}-${++alertCount}`;
        alerts.push(alertId);
        push('alert.raised', `alert-${alertId}`, {
          alertId,
          rule: {
            name: 'cpu',
            kind: 'threshold',
            severity: 'warning',
            labels: {},
            metric: 'cpu',
            source: 'host',
            environment: '*',
            comparator: '>',
            threshold: 90,
            forSeconds: 0,
          },
          source: 'host',
          metric: 'cpu',
          value: 95,
          threshold: 90,
          severity: 'warning',
          labels: { team: 'ops' },
          message: 'hot',
          startedAt: 't',
        });
      } else {
        const alertId = pick(alerts);
        const type = pick(['alert.resolved', 'alert.resolved', 'alert.acknowledged', 'alert.silenced'] as const);
        const data =
          type === 'alert.resolved'
            ? { alertId, rule: 'cpu', value: 50, resolvedAt: 't' }
            : type === 'alert.acknowledged'
              ? { alertId, by: 'ann', comment: 'on it' }
              : { alertId, silenceId: `s-${position}`, until: 'u', reason: 'maintenance', by: 'ann' };
        push(type, `alert-${alertId}`, data);
      }
    } else {
      push(pick(['user.logged-in', 'alert-rule.changed', 'notification.delivered'] as const), 'other', { userId: 'u-1', username: 'ann' });
    }
  }
  return events;
}

/** Freezes deeply, so any change to what the fold was given (or handed out) throws. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function reduce(state: DashboardState, events: readonly StoredEvent[]): DashboardState {
  return events.reduce<DashboardState>(evolveDashboard, state);
}

/** Equal as values and as JSON text (same key order, so checkpoints encode the same bytes). */
function expectSame(actual: DashboardState, expected: DashboardState): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('foldDashboard', () => {
  const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

  it.each(SEEDS)('equals the reducer over a generated sequence (seed %i)', (seed) => {
    const events = deepFreeze(generate(seed, 3000));
    const start = deepFreeze(initialDashboardState());
    expectSame(foldDashboard(start, events), reduce(start, events));
  });

  it('the generated sequences reach every limit and every case the reducer has', () => {
    const events = generate(7, 3000);
    const state = reduce(initialDashboardState(), events);
    expect(state.commands).toHaveLength(DASHBOARD_LIMITS.commands);
    expect(state.recentEvents).toHaveLength(DASHBOARD_LIMITS.recentEvents);
    expect(state.alerts.length).toBeGreaterThan(DASHBOARD_LIMITS.alerts);
    expect(state.alerts.slice(DASHBOARD_LIMITS.alerts).every((alert) => alert.state === 'firing')).toBe(true);
    expect(state.commands.some((command) => command.output.length === DASHBOARD_LIMITS.outputLinesPerCommand)).toBe(true);
    expect(new Set(state.commands.map((command) => command.state))).toEqual(
      new Set(['accepted', 'denied', 'running', 'completed', 'failed', 'cancelled', 'interrupted']),
    );
    expect(Object.keys(state.services).length).toBe(6);
    expect(
      events.filter((event, i) => i > 0 && event.position <= Math.max(...events.slice(0, i).map((e) => e.position))).length,
    ).toBeGreaterThan(50);
  });

  it.each(SEEDS.slice(0, 5))('goes on from a state part-way, and hands out states that later events leave alone (seed %i)', (seed) => {
    const events = deepFreeze(generate(seed, 2000));
    const cut = 300 + seed * 37;
    const start = deepFreeze(reduce(initialDashboardState(), events.slice(0, cut)));
    const fold = new DashboardFold(start);
    let expected = start;
    for (let i = cut; i < events.length; i++) {
      expect(fold.add(events[i])).toBe(evolveDashboard(expected, events[i]) !== expected);
      expected = evolveDashboard(expected, events[i]);
      // Frozen: a later in-place change to anything handed out would throw.
      if (i % 97 === 0) expectSame(deepFreeze(fold.state()), expected);
    }
    expectSame(fold.state(), expected);
    expect(fold.position).toBe(expected.position);
  });

  it('returns the given state itself when no event is new', () => {
    const events = generate(3, 500);
    const state = reduce(initialDashboardState(), events);
    expect(foldDashboard(state, events)).toBe(state);
    expect(foldDashboard(state, [])).toBe(state);
  });

  it('matches the reducer from a state it would not make itself (a repeated command id, lists over their limits)', () => {
    const events = deepFreeze(generate(11, 1500));
    const base = reduce(initialDashboardState(), events.slice(0, 700));
    const odd = deepFreeze({
      ...base,
      commands: [...base.commands, ...base.commands.slice(0, 30)],
      recentEvents: [...base.recentEvents, ...base.recentEvents],
    });
    const dropped = reduce(initialDashboardState(), events.slice(0, 300)).commands.filter(
      (command) => !base.commands.some((kept) => kept.commandId === command.commandId),
    );
    const oversized = deepFreeze({ ...base, commands: [...base.commands, ...dropped] });
    expect(oversized.commands.length).toBeGreaterThan(DASHBOARD_LIMITS.commands);
    for (const start of [odd, oversized]) expectSame(foldDashboard(start, events.slice(700)), reduce(start, events.slice(700)));
  });

  it("equals the reducer over the benchmarks' realistic log (first 60,000 events)", () => {
    const [events] = [...realisticStoredEventChunks(60_000, { chunk: 60_000 })];
    deepFreeze(events);
    expectSame(foldDashboard(initialDashboardState(), events), reduce(initialDashboardState(), events));
  });
});

describe('approval events in the dashboard fold', () => {
  const meta = (username: string) => ({ correlationId: 'c', actor: { id: username, username, roles: ['admin'] } });
  const command = { commandId: 'a1', type: 'restart', target: 'web', environment: 'production', params: {}, requestHash: 'h' };
  const at = (position: number, version: number, type: string, data: object, username = 'otto'): StoredEvent =>
    ({
      position,
      stream: 'command-a1',
      version,
      type,
      data,
      meta: meta(username),
      time: `2026-12-01T10:00:0${position}.000Z`,
      hash: 'x',
    }) as StoredEvent;
  const requested = at(1, 1, 'command.approval-requested', { ...command, approvers: ['admin'], expiresAt: '2026-12-01T11:00:00.000Z' });

  it('shows awaiting-approval, then accepted with who approved, then running; the reducer and the fold agree', () => {
    const events = [
      requested,
      at(2, 2, 'command.approved', { ...command, by: 'ada' }, 'ada'),
      at(3, 3, 'command.started', { commandId: 'a1' }, 'ada'),
    ];
    const states: string[] = [];
    let state = initialDashboardState();
    for (const event of events) {
      state = evolveDashboard(state, event);
      states.push(state.commands[0].state);
    }
    expect(states).toEqual(['awaiting-approval', 'accepted', 'running']);
    expect(state.commands[0].approval).toEqual({
      approvers: ['admin'],
      expiresAt: '2026-12-01T11:00:00.000Z',
      decidedBy: 'ada',
      decidedAt: '2026-12-01T10:00:02.000Z',
    });
    const fold = new DashboardFold(initialDashboardState());
    for (const event of events) fold.add(event);
    expect(fold.state()).toEqual(state);
  });

  it('ends rejected or expired with the reason', () => {
    const rejected = evolveDashboard(
      evolveDashboard(initialDashboardState(), requested),
      at(2, 2, 'command.rejected', { commandId: 'a1', by: 'ada', reason: 'freeze' }, 'ada'),
    );
    expect(rejected.commands[0]).toMatchObject({ state: 'rejected', reason: 'freeze', approval: { decidedBy: 'ada' } });
    const expired = evolveDashboard(
      evolveDashboard(initialDashboardState(), requested),
      at(2, 2, 'command.expired', { commandId: 'a1', reason: 'not approved within 60 min' }, 'system'),
    );
    expect(expired.commands[0]).toMatchObject({
      state: 'expired',
      reason: 'not approved within 60 min',
      finishedAt: '2026-12-01T10:00:02.000Z',
    });
  });
});
