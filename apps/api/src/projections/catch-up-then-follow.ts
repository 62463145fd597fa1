import type { StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import type { EventStore } from '../event-store/event-store';

/**
 * Starts an in-memory read model: subscribes to committed events first, then runs
 * `catchUp` (a fold over the log); what commits meanwhile is held and handed to
 * `follow` afterwards, in order, then every later event as it commits. The fold
 * must skip positions it has already folded (every fold here does), so an event
 * both read and held counts once and none falls in the gap between the two.
 * Unsubscribe the returned subscription to stop following.
 */
export async function catchUpThenFollow(
  store: EventStore,
  catchUp: () => Promise<void>,
  follow: (event: StoredEvent) => void,
): Promise<Subscription> {
  let held: StoredEvent[] | undefined = [];
  const subscription = store.events$.subscribe((event) => {
    if (held) held.push(event);
    else follow(event);
  });
  try {
    await catchUp();
  } catch (error) {
    subscription.unsubscribe();
    throw error;
  }
  const meanwhile = held;
  held = undefined;
  for (const event of meanwhile) follow(event);
  return subscription;
}
