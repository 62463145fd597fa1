import type { EventSummary } from '@vigil/shared';

/**
 * Position of the newest event of `type` among the state's recent events (0 when none):
 * a key for data loaded over HTTP that such an event changes (alert rules, silences).
 */
export function latestPositionOf(events: readonly EventSummary[], type: string): number {
  return events.reduce((latest, event) => (event.type === type ? Math.max(latest, event.position) : latest), 0);
}
