import type { AlertRule, StoredEvent } from '@vigil/shared';
import { alertRuleSchema, evolveAlert, foldAlert } from '@vigil/shared';
import { AlertEvaluator, renderMessage, type AlertEffect } from './alert-evaluator';
import { alertsConfigSchema } from '../config/alert-rules.schema';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

function rule(input: Record<string, unknown>): AlertRule {
  return alertRuleSchema.parse(input);
}

function evaluator(): AlertEvaluator {
  let n = 0;
  return new AlertEvaluator(() => `alert-${++n}`);
}

const cpu = rule({ name: 'cpu', kind: 'threshold', source: 'host', metric: 'cpu_percent', comparator: '>', threshold: 90, forSeconds: 60 });

function sample(value: number, seconds: number, source = 'host', environment?: string) {
  return { source, environment, time: T0 + seconds * 1000, values: { cpu_percent: value } };
}

describe('threshold rules', () => {
  it('fires exactly when the condition has held for forSeconds', () => {
    const ev = evaluator();
    expect(ev.onSample(sample(95, 0), [cpu])).toEqual([]);
    expect(ev.phaseOf('cpu', undefined, 'host')).toBe('pending');
    expect(ev.onSample(sample(96, 30), [cpu])).toEqual([]);
    expect(ev.onSample(sample(97, 59.999), [cpu])).toEqual([]);
    const effects = ev.onSample(sample(98, 60), [cpu]);
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({
      kind: 'raise',
      data: {
        alertId: 'alert-1',
        source: 'host',
        metric: 'cpu_percent',
        value: 98,
        threshold: 90,
        severity: 'warning',
        startedAt: new Date(T0 + 60_000).toISOString(),
      },
    });
    expect((effects[0] as Extract<AlertEffect, { kind: 'raise' }>).data.rule).toEqual(cpu);
    expect(ev.phaseOf('cpu', undefined, 'host')).toBe('firing');
  });

  it('a dip below the threshold restarts the pending period', () => {
    const ev = evaluator();
    ev.onSample(sample(95, 0), [cpu]);
    ev.onSample(sample(50, 40), [cpu]);
    expect(ev.phaseOf('cpu', undefined, 'host')).toBe('normal');
    expect(ev.onSample(sample(95, 50), [cpu])).toEqual([]);
    expect(ev.onSample(sample(95, 100), [cpu])).toEqual([]);
    expect(ev.onSample(sample(95, 110), [cpu])).toHaveLength(1);
  });

  it('with clearThreshold, a value oscillating around the threshold raises once and resolves once', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', metric: 'cpu_percent', comparator: '>', threshold: 90, clearThreshold: 80 });
    const ev = evaluator();
    const values = [85, 91, 89, 92, 88, 91, 89.5, 90.5, 85, 81, 79, 85, 89];
    const effects = values.flatMap((value, i) => ev.onSample(sample(value, i), [r]));
    expect(effects.map((e) => e.kind)).toEqual(['raise', 'resolve']);
    expect(effects[1]).toMatchObject({
      kind: 'resolve',
      data: { alertId: 'alert-1', rule: 'cpu', value: 79, resolvedAt: new Date(T0 + 10_000).toISOString() },
    });
  });

  it('with keepFiringForSeconds, a firing alert resolves only after the value stayed clear that long', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', metric: 'cpu_percent', comparator: '>', threshold: 90, keepFiringForSeconds: 30 });
    const ev = evaluator();
    const seq: [number, number][] = [
      [95, 0],
      [80, 10],
      [95, 20],
      [80, 30],
      [80, 49],
      [80, 50],
    ];
    const effects = seq.flatMap(([value, t]) => ev.onSample(sample(value, t), [r]));
    expect(effects.map((e) => [e.kind, e.kind === 'resolve' ? e.data.resolvedAt : e.data.startedAt])).toEqual([
      ['raise', new Date(T0).toISOString()],
      ['resolve', new Date(T0 + 50_000).toISOString()],
    ]);
  });

  it('keeps one active alert per rule and source, and separate ones per source', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', source: '*', metric: 'cpu_percent', comparator: '>=', threshold: 90 });
    const ev = evaluator();
    const effects = [
      ...ev.onSample(sample(95, 0, 'a'), [r]),
      ...ev.onSample(sample(96, 1, 'a'), [r]),
      ...ev.onSample(sample(97, 2, 'a'), [r]),
      ...ev.onSample(sample(90, 3, 'b'), [r]),
      ...ev.onSample(sample(99, 4, 'b'), [r]),
    ];
    expect(effects.map((e) => [e.kind, e.data.alertId, e.kind === 'raise' ? e.data.source : ''])).toEqual([
      ['raise', 'alert-1', 'a'],
      ['raise', 'alert-2', 'b'],
    ]);
  });

  it('matches environment globs (`*` also matches host-wide samples) and skips error samples and missing metrics', () => {
    const staging = rule({ name: 'q', kind: 'threshold', environment: 'stag*', metric: 'cpu_percent', comparator: '>', threshold: 1 });
    const ev = evaluator();
    expect(ev.onSample(sample(5, 0, 'host'), [staging])).toEqual([]);
    expect(ev.onSample(sample(5, 0, 'svc', 'production'), [staging])).toEqual([]);
    expect(ev.onSample({ ...sample(5, 0, 'svc', 'staging'), error: 'timed out' }, [staging])).toEqual([]);
    expect(ev.onSample({ source: 'svc', environment: 'staging', time: T0, values: { other: 5 } }, [staging])).toEqual([]);
    expect(ev.onSample(sample(5, 1, 'svc', 'staging'), [staging])).toMatchObject([{ kind: 'raise', data: { environment: 'staging' } }]);
  });

  it('supports < comparators with a clear threshold above', () => {
    const r = rule({ name: 'free', kind: 'threshold', metric: 'cpu_percent', comparator: '<', threshold: 10, clearThreshold: 20 });
    const ev = evaluator();
    const effects = [5, 15, 9, 25].flatMap((v, i) => ev.onSample(sample(v, i), [r]));
    expect(effects.map((e) => e.kind)).toEqual(['raise', 'resolve']);
  });

  it('does not raise again after a restart when the log says the alert is firing', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', metric: 'cpu_percent', comparator: '>', threshold: 90 });
    const ev = evaluator();
    ev.restoreFiring('cpu', undefined, 'host', 'old');
    expect(ev.onSample(sample(95, 0), [r])).toEqual([]);
    expect(ev.onSample(sample(10, 1), [r])).toMatchObject([{ kind: 'resolve', data: { alertId: 'old' } }]);
  });

  it('resolves firing alerts a changed rule no longer covers, and keeps the others', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', source: '*', metric: 'cpu_percent', comparator: '>', threshold: 90 });
    const ev = evaluator();
    ev.onSample(sample(95, 0, 'a'), [r]);
    ev.onSample(sample(95, 0, 'b'), [r]);
    const narrowed = rule({ name: 'cpu', kind: 'threshold', source: 'a', metric: 'cpu_percent', comparator: '>', threshold: 90 });
    expect(ev.pruneRule(narrowed, T0 + 1000)).toMatchObject([{ kind: 'resolve', data: { alertId: 'alert-2', value: null } }]);
    expect(ev.phaseOf('cpu', undefined, 'a')).toBe('firing');
  });

  it('resolves the firing alerts of a deleted rule', () => {
    const r = rule({ name: 'cpu', kind: 'threshold', metric: 'cpu_percent', comparator: '>', threshold: 90 });
    const ev = evaluator();
    ev.onSample(sample(95, 0), [r]);
    expect(ev.dropRule('cpu', T0 + 5000, 'rule deleted')).toMatchObject([
      { kind: 'resolve', data: { alertId: 'alert-1', value: null, reason: 'rule deleted' } },
    ]);
  });
});

describe('absent rules', () => {
  const quiet = rule({ name: 'quiet', kind: 'absent', source: 'agent*', seconds: 30 });

  it('fires when a source that reported goes quiet, and resolves on its next sample', () => {
    const ev = evaluator();
    ev.onSample({ source: 'agent-1', environment: 'staging', time: T0, values: { x: 1 } }, [quiet]);
    ev.onSample({ source: 'other', time: T0, values: { x: 1 } }, [quiet]);
    expect(ev.onTick(T0 + 29_000, [quiet])).toEqual([]);
    const fired = ev.onTick(T0 + 31_000, [quiet]);
    expect(fired).toMatchObject([
      { kind: 'raise', data: { source: 'agent-1', environment: 'staging', metric: 'seconds_since_sample', value: 31, threshold: 30 } },
    ]);
    expect(ev.onTick(T0 + 60_000, [quiet])).toEqual([]);
    // An error sample is not a sample.
    expect(ev.onSample({ source: 'agent-1', environment: 'staging', time: T0 + 61_000, values: {}, error: 'down' }, [quiet])).toEqual([]);
    expect(ev.onSample({ source: 'agent-1', environment: 'staging', time: T0 + 62_000, values: { x: 1 } }, [quiet])).toMatchObject([
      { kind: 'resolve', data: { alertId: 'alert-1', value: 62 } },
    ]);
  });
});

describe('service rules', () => {
  const crash = rule({ name: 'crash', kind: 'service', service: 'web*', environment: '*', trigger: 'crash', severity: 'error' });
  const loop = rule({
    name: 'loop',
    kind: 'service',
    service: '*',
    trigger: 'restart-loop',
    restarts: 3,
    withinMinutes: 5,
    severity: 'critical',
  });
  let position = 0;
  function serviceEvent(type: 'service.exited' | 'service.started', seconds: number, data: Record<string, unknown>): StoredEvent {
    position += 1;
    return {
      position,
      stream: 'service-web-server@staging',
      version: position,
      type,
      data: { service: 'web-server', environment: 'staging', instance: 0, ...data },
      meta: { correlationId: 'c', environment: 'staging' },
      time: new Date(T0 + seconds * 1000).toISOString(),
      hash: 'h',
    };
  }

  it('fires on an unexpected exit (not an expected one) and resolves when the service starts again', () => {
    const ev = evaluator();
    expect(ev.onServiceEvent(serviceEvent('service.exited', 0, { code: 0, expected: true }), [crash])).toEqual([]);
    const raised = ev.onServiceEvent(serviceEvent('service.exited', 1, { code: 3, expected: false }), [crash]);
    expect(raised).toMatchObject([
      { kind: 'raise', data: { source: 'web-server', environment: 'staging', metric: 'exit_code', value: 3, severity: 'error' } },
    ]);
    expect((raised[0] as Extract<AlertEffect, { kind: 'raise' }>).data.message).toBe('crash: web-server in staging (exit_code 3)');
    // A second crash while firing is the same alert.
    expect(ev.onServiceEvent(serviceEvent('service.exited', 2, { code: 3, expected: false }), [crash])).toEqual([]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 3, { reason: 'policy' }), [crash])).toMatchObject([
      { kind: 'resolve', data: { alertId: 'alert-1' } },
    ]);
  });

  it('fires when policy restarts reach the limit within the window, and resolves once they fall out of it', () => {
    const ev = evaluator();
    expect(ev.onServiceEvent(serviceEvent('service.started', 0, { reason: 'boot' }), [loop])).toEqual([]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 10, { reason: 'policy' }), [loop])).toEqual([]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 20, { reason: 'command' }), [loop])).toEqual([]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 400, { reason: 'policy' }), [loop])).toEqual([]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 500, { reason: 'policy' }), [loop])).toEqual([]); // 10 s fell out
    const raised = ev.onServiceEvent(serviceEvent('service.started', 600, { reason: 'policy' }), [loop]);
    expect(raised).toMatchObject([{ kind: 'raise', data: { metric: 'restarts', value: 3, threshold: 3, severity: 'critical' } }]);
    expect(ev.onServiceEvent(serviceEvent('service.started', 610, { reason: 'policy' }), [loop])).toEqual([]);
    expect(ev.onTick(T0 + 650_000, [loop])).toEqual([]);
    expect(ev.onTick(T0 + 1_000_000, [loop])).toMatchObject([{ kind: 'resolve', data: { alertId: 'alert-1' } }]);
  });
});

describe('rules and messages', () => {
  it('renders message templates', () => {
    expect(
      renderMessage('{{rule}} {{metric}}={{value}} > {{threshold}} on {{source}}@{{environment}}', {
        rule: 'r',
        metric: 'm',
        value: 91.2345,
        threshold: 90,
        source: 'host',
      }),
    ).toBe('r m=91.23 > 90 on host@-');
  });

  it('rejects bad rules with the field paths', () => {
    const result = alertRuleSchema.safeParse({
      name: 'x',
      kind: 'threshold',
      metric: 'm',
      comparator: '>',
      threshold: 90,
      clearThreshold: 95,
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['clearThreshold']);
    expect(alertRuleSchema.safeParse({ name: 'x', kind: 'nope' }).success).toBe(false);
    expect(alertsConfigSchema.safeParse({ rules: [cpu, cpu] }).success).toBe(false);
  });
});

describe('evolveAlert', () => {
  it('folds raised, acknowledged, silenced and resolved into one view with a timeline', () => {
    const ev = evaluator();
    const raise = ev.onSample(sample(95, 0), [
      rule({ name: 'cpu', kind: 'threshold', metric: 'cpu_percent', comparator: '>', threshold: 90 }),
    ])[0];
    const base = { stream: 'alert-alert-1', meta: { correlationId: 'c' }, hash: 'h' };
    const events = [
      { ...base, position: 1, version: 1, type: 'alert.raised', data: raise.data, time: new Date(T0).toISOString() },
      {
        ...base,
        position: 2,
        version: 2,
        type: 'alert.acknowledged',
        data: { alertId: 'alert-1', by: 'alice', comment: 'looking' },
        time: new Date(T0 + 1000).toISOString(),
      },
      {
        ...base,
        position: 3,
        version: 3,
        type: 'alert.silenced',
        data: { alertId: 'alert-1', silenceId: 's', until: new Date(T0 + 3_600_000).toISOString(), reason: 'known', by: 'alice' },
        time: new Date(T0 + 2000).toISOString(),
      },
      {
        ...base,
        position: 4,
        version: 4,
        type: 'alert.resolved',
        data: { alertId: 'alert-1', rule: 'cpu', value: 10, resolvedAt: new Date(T0 + 3000).toISOString() },
        time: new Date(T0 + 3000).toISOString(),
      },
    ] as StoredEvent[];
    const view = foldAlert(events)!;
    expect(view).toMatchObject({
      alertId: 'alert-1',
      rule: 'cpu',
      state: 'resolved',
      acknowledged: { by: 'alice', comment: 'looking' },
      silenced: { reason: 'known' },
      resolvedValue: 10,
    });
    expect(view.timeline.map((t) => t.type)).toEqual(['raised', 'acknowledged', 'silenced', 'resolved']);
    // Replayed events do not count twice; other alerts' events are ignored.
    expect(evolveAlert(view, events[1])).toBe(view);
    expect(evolveAlert(view, { ...events[1], position: 9, data: { alertId: 'other', by: 'x', comment: '' } } as StoredEvent)).toBe(view);
  });
});
