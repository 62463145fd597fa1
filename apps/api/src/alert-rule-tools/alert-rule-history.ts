import type { AlertRuleChange, EventType } from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';

/** Every `alert-rule.changed` in log order (of one rule if `name` is given), with who and when. */
export async function alertRuleHistory(store: EventStore, name?: string): Promise<AlertRuleChange[]> {
  const changes: AlertRuleChange[] = [];
  for await (const event of store.read(1, { types: ['alert-rule.changed'] satisfies EventType[] })) {
    if (event.type !== 'alert-rule.changed' || (name !== undefined && event.data.name !== name)) continue;
    changes.push({
      name: event.data.name,
      change: event.data.change,
      rule: event.data.rule,
      at: event.time,
      position: event.position,
      ...(event.meta.actor ? { by: event.meta.actor.username } : {}),
    });
  }
  return changes;
}
