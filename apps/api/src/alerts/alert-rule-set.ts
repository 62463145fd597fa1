import type { AlertRule, AlertRulesMoment, EventType, StoredEvent } from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';

/**
 * The alert rules in force: the configured set with every `alert-rule.changed`
 * folded over it in log order. The alerts service keeps one up to date live;
 * `vigil export` builds one as of a bundle's end, so both agree on what a rule
 * change means (a deleted rule goes, an updated one keeps its place in the list).
 */
export class AlertRuleSet {
  private readonly rules = new Map<string, AlertRule>();
  private streamVersion = 0;

  constructor(configured: readonly AlertRule[]) {
    for (const rule of configured) this.rules.set(rule.name, rule);
  }

  /** Folds one change in; returns the rule it replaced or deleted (undefined for a new one). */
  apply(event: StoredEvent<'alert-rule.changed'>): AlertRule | undefined {
    this.streamVersion = event.version;
    const { name, rule } = event.data;
    const previous = this.rules.get(name);
    if (rule) this.rules.set(name, rule);
    else this.rules.delete(name);
    return previous;
  }

  /** The `alert-rules` stream's version folded so far: the next change's expected version. */
  get version(): number {
    return this.streamVersion;
  }

  get size(): number {
    return this.rules.size;
  }

  has(name: string): boolean {
    return this.rules.has(name);
  }

  get(name: string): AlertRule | undefined {
    return this.rules.get(name);
  }

  /** In the order GET /api/alert-rules lists them: configured first, then as created. */
  list(): AlertRule[] {
    return [...this.rules.values()];
  }
}

/**
 * The rules in force at `from`, then once more after each change committed in
 * (from, to]: what a replay of that window judges each moment by. Never empty.
 */
export async function alertRulesTimeline(
  configured: readonly AlertRule[],
  store: EventStore,
  from: Date,
  to: Date,
): Promise<AlertRulesMoment[]> {
  const rules = new AlertRuleSet(configured);
  const [fromPosition, toPosition] = [await store.positionAt(from), await store.positionAt(to)];
  const timeline: AlertRulesMoment[] = [];
  const atFrom = (): void => {
    if (timeline.length === 0) timeline.push({ at: from.toISOString(), rules: rules.list() });
  };
  if (toPosition > 0) {
    for await (const event of store.read(1, { types: ['alert-rule.changed'] satisfies EventType[], toPosition })) {
      if (event.type !== 'alert-rule.changed') continue;
      if (event.position > fromPosition) atFrom();
      rules.apply(event);
      if (event.position > fromPosition) timeline.push({ at: event.time, rules: rules.list() });
    }
  }
  atFrom();
  return timeline;
}

/** The rules in force at `at`: the configured set with every change committed at or before it. */
export async function alertRulesAt(configured: readonly AlertRule[], store: EventStore, at: Date): Promise<AlertRule[]> {
  const timeline = await alertRulesTimeline(configured, store, at, at);
  return timeline[timeline.length - 1].rules;
}
