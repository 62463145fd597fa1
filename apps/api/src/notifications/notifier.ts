import type { StoredEvent } from '@vigil/shared';

/**
 * The seam between alert evaluation and delivery: the alerts module hands every
 * committed `alert.raised` / `alert.resolved` event to the notifier and moves on.
 * Delivery (grouping, retries, webhooks, email) happens elsewhere and never blocks
 * evaluation. `silenced` alerts are recorded but not delivered.
 */
export abstract class Notifier {
  abstract enqueue(event: StoredEvent<'alert.raised' | 'alert.resolved'>, options: { silenced: boolean }): void;

  /** The evaluator's clock: escalations that are due go out (no-op for notifiers without any). */
  tick(_now: number): void {
    // Nothing is scheduled by default.
  }

  /** An acknowledged alert escalates no further. */
  acknowledged(_alertId: string): void {
    // Nothing to stop by default.
  }
}
