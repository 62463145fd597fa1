import type { AlertRaisedData, AlertRule, StoredEvent } from '@vigil/shared';
import { AlertNoise, DEFAULT_INHIBITIONS, labelsMatch } from './alert-noise';

let position = 0;
function raised(
  alertId: string,
  rule: Partial<AlertRule> & Pick<AlertRule, 'name' | 'kind'>,
  source: string,
  labels: Record<string, string> = {},
): AlertRaisedData {
  return {
    alertId,
    rule: { severity: 'error', labels, message: '', ...rule } as AlertRule,
    source,
    environment: 'production',
    metric: 'm',
    value: 1,
    threshold: 0,
    severity: 'error',
    labels,
    message: '',
    startedAt: new Date().toISOString(),
  };
}
function event(type: 'alert.raised' | 'alert.resolved', data: AlertRaisedData | { alertId: string }): StoredEvent {
  position += 1;
  return {
    position,
    stream: `alert-${data.alertId}`,
    version: 1,
    type,
    data,
    meta: { correlationId: 'c' },
    time: new Date().toISOString(),
    hash: 'h',
  } as StoredEvent;
}

describe('AlertNoise', () => {
  it('by default, a crashed service inhibits its other alerts in the same environment, not other services', () => {
    const noise = new AlertNoise(DEFAULT_INHIBITIONS);
    const crash = raised('crash-1', { name: 'service-crash', kind: 'service', trigger: 'crash' }, 'web-server');
    noise.fold(event('alert.raised', crash));
    const loop = raised('loop-1', { name: 'restart-loop', kind: 'service', trigger: 'restart-loop' }, 'web-server');
    expect(noise.inhibitorOf(loop)).toEqual({ byAlertId: 'crash-1', inhibition: 'service-crash' });
    expect(
      noise.inhibitorOf(raised('loop-2', { name: 'restart-loop', kind: 'service', trigger: 'restart-loop' }, 'worker')),
    ).toBeUndefined();
    // A second crash alert is a source itself: not inhibited by the first.
    expect(
      noise.inhibitorOf(raised('crash-2', { name: 'service-crash', kind: 'service', trigger: 'crash' }, 'web-server')),
    ).toBeUndefined();
    noise.fold(event('alert.resolved', { alertId: 'crash-1' }));
    expect(noise.inhibitorOf(loop)).toBeUndefined();
  });

  it('applies the host-offline default once a rule of that name fires: alerts of that host, by label or host@ source', () => {
    const noise = new AlertNoise(DEFAULT_INHIBITIONS);
    const cpu = raised('cpu-1', { name: 'cpu-high', kind: 'threshold' }, 'host@web-1');
    expect(noise.inhibitorOf(cpu)).toBeUndefined();
    noise.fold(event('alert.raised', raised('off-1', { name: 'host-offline', kind: 'absent' }, 'agent', { host: 'web-1' })));
    expect(noise.inhibitorOf(cpu)?.byAlertId).toBe('off-1');
    expect(noise.inhibitorOf(raised('cpu-2', { name: 'cpu-high', kind: 'threshold' }, 'host@web-2'))).toBeUndefined();
  });

  it('matches label values exactly, by * globs and a|b alternatives', () => {
    expect(labelsMatch({ kind: 'threshold|absent' }, { kind: 'absent' })).toBe(true);
    expect(labelsMatch({ alertname: 'queue-*' }, { alertname: 'queue-deep' })).toBe(true);
    expect(labelsMatch({ alertname: 'queue' }, { alertname: 'queue-deep' })).toBe(false);
    expect(labelsMatch({ team: 'ops' }, {})).toBe(false);
  });

  it('lets an acknowledgement lapse once, and only while the alert fires', () => {
    const noise = new AlertNoise([]);
    const base = {
      alertId: 'a',
      state: 'firing',
      acknowledged: { by: 'olga', comment: '', at: 't', expiresAt: new Date(1000).toISOString() },
    };
    const views = [base, { ...base, alertId: 'b', state: 'resolved' }] as never[];
    expect(noise.lapsedAcks(views, 999)).toEqual([]);
    expect(noise.lapsedAcks(views, 1000).map((v: { alertId: string }) => v.alertId)).toEqual(['a']);
    expect(noise.lapsedAcks(views, 5000)).toEqual([]);
  });
});
