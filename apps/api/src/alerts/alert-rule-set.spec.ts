import { ALERT_RULES_STREAM, type AlertRule, type AlertRuleChangedData } from '@vigil/shared';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { alertRulesAt } from './alert-rule-set';

function rule(name: string, threshold = 90): AlertRule {
  return { name, kind: 'threshold', metric: 'cpu_percent', source: '*', environment: '*', comparator: '>', threshold, forSeconds: 0, severity: 'warning', labels: {}, message: '{{rule}}' };
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
  });
});
