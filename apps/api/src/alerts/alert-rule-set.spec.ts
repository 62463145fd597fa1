import { ALERT_RULES_STREAM, type AlertRule, type AlertRuleChangedData, type StoredEvent } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { alertRulesAt, alertRulesTimeline } from './alert-rule-set';
import { AlertsState } from './alerts-state';

function rule(name: string, threshold = 90): AlertRule {
  return {
    name,
    kind: 'threshold',
    metric: 'cpu_percent',
    source: '*',
    environment: '*',
    comparator: '>',
    threshold,
    forSeconds: 0,
    severity: 'warning',
    labels: {},
    message: '{{rule}}',
  };
}

/** Waits until the clock has moved past `time`, so what is appended next is after it. */
async function after(time: Date): Promise<void> {
  while (Date.now() <= time.getTime()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('alertRulesAt', () => {
  let dir: string;
  let store: SqliteEventStore;
  let version = 0;
  const change = async (data: AlertRuleChangedData): Promise<void> => {
    await store.append(ALERT_RULES_STREAM, version, [{ type: 'alert-rule.changed', data }], { correlationId: 'spec' });
    version += 1;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-rules-spec-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the configured set with every change up to the time folded in, in the order the API lists them', async () => {
    const configured = [rule('a'), rule('b'), rule('c')];
    const beforeAny = new Date();
    await after(beforeAny);
    await change({ name: 'a', rule: rule('a', 95), change: 'updated' });
    await change({ name: 'd', rule: rule('d'), change: 'created' });
    await change({ name: 'b', rule: null, change: 'deleted' });
    const middle = new Date();
    await after(middle);
    await change({ name: 'b', rule: rule('b', 50), change: 'created' });
    await change({ name: 'c', rule: null, change: 'deleted' });

    expect(await alertRulesAt(configured, store, beforeAny)).toEqual(configured);
    // An updated rule keeps its place; a new one comes after the configured ones.
    expect(await alertRulesAt(configured, store, middle)).toEqual([rule('a', 95), rule('c'), rule('d')]);
    expect(await alertRulesAt(configured, store, new Date())).toEqual([rule('a', 95), rule('d'), rule('b', 50)]);

    // The timeline of a window from `middle`: the rules then, then after each of its two changes.
    const timeline = await alertRulesTimeline(configured, store, middle, new Date());
    expect(timeline.map((moment) => moment.rules)).toEqual([
      [rule('a', 95), rule('c'), rule('d')],
      [rule('a', 95), rule('c'), rule('d'), rule('b', 50)],
      [rule('a', 95), rule('d'), rule('b', 50)],
    ]);
    expect(timeline[0].at).toBe(middle.toISOString());
    expect(timeline.slice(1).every((moment) => moment.at > middle.toISOString())).toBe(true);
    // A window without changes: one moment, at its start.
    const quiet = new Date();
    await after(quiet);
    expect(await alertRulesTimeline(configured, store, quiet, new Date())).toEqual([
      { at: quiet.toISOString(), rules: [rule('a', 95), rule('d'), rule('b', 50)] },
    ]);
  });
});

describe('AlertsState', () => {
  const stored = (position: number, type: string, data: Record<string, unknown>, stream = 'alert-a1'): StoredEvent =>
    ({
      position,
      stream,
      version: position,
      type,
      data,
      meta: { correlationId: 'k' },
      time: `2026-11-27T03:00:0${position}.000Z`,
      hash: 'h',
    }) as StoredEvent;

  it('folds rules, alerts and matcher silences once each, saying what changed', () => {
    const state = new AlertsState([rule('cpu')]);
    expect(state.apply(stored(1, 'alert-rule.changed', { name: 'cpu', rule: rule('cpu', 50), change: 'updated' }, 'alert-rules'))).toEqual({
      kind: 'rule',
      name: 'cpu',
      rule: rule('cpu', 50),
      previous: rule('cpu'),
    });
    const raised = stored(2, 'alert.raised', {
      alertId: 'a1',
      rule: rule('cpu', 50),
      source: 'host',
      value: 97,
      severity: 'warning',
      message: 'cpu',
    });
    expect(state.apply(raised)).toMatchObject({ kind: 'alert', view: { alertId: 'a1', state: 'firing' } });
    expect(state.apply(raised)).toBeUndefined(); // the same position again: skipped
    expect(state.apply(stored(3, 'service.exited', { service: 'web', environment: 'staging' }, 'service-staging-web'))).toBeUndefined();
    const silence = { silenceId: 's1', matchers: { rule: 'cpu' }, until: '2026-11-27T04:00:00.000Z', reason: 'r', by: 'admin' };
    expect(state.apply(stored(4, 'alert.silenced', silence, 'silences'))).toEqual({
      kind: 'silence',
      silence: { ...silence, createdAt: '2026-11-27T03:00:04.000Z' },
    });
    expect(state.position).toBe(4);
    expect(Object.keys(state.snapshot().alerts)).toEqual(['a1']);
    expect(state.snapshot().rules).toEqual({ cpu: rule('cpu', 50) });
    expect(state.snapshot().silences).toEqual({ s1: { ...silence, createdAt: '2026-11-27T03:00:04.000Z' } });
  });
});
