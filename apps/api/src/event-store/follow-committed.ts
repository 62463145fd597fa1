import type { Logger } from '@nestjs/common';
import type { EventType, StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import type { EventStore } from './event-store';

/** A committed event of one of the types `T`. */
export type CommittedOf<T extends EventType> = Extract<StoredEvent, { type: T }>;

/** What a reactor does with one committed event; a returned promise is not awaited. */
export type Reaction<T extends EventType> = (event: CommittedOf<T>) => void | Promise<void>;

function isOneOf<T extends EventType>(event: StoredEvent, types: ReadonlySet<EventType>): event is CommittedOf<T> {
  return types.has(event.type);
}

/**
 * The one way to react to what happened: follow the store's `events$`, which emits
 * each committed event once, in position order, only after it is durable (and, in a
 * cluster, every node's events). `react` is called synchronously for each event of
 * `types`, so a reactor sees them in the order they were committed; what it throws
 * or rejects with is logged, so one failed reaction never stops the others or the
 * events that follow. Unsubscribe the returned subscription to stop.
 */
export function followCommitted<T extends EventType>(
  store: EventStore,
  types: readonly T[],
  react: Reaction<T>,
  logger: Pick<Logger, 'error'>,
): Subscription {
  const wanted = new Set<EventType>(types);
  const report = (event: StoredEvent, error: unknown): void => {
    logger.error(
      `reacting to ${event.type} at position ${event.position} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  };
  return store.events$.subscribe((event) => {
    if (!isOneOf<T>(event, wanted)) return;
    try {
      const reaction = react(event);
      if (reaction) {
        reaction.catch((error: unknown) => {
          report(event, error);
        });
      }
    } catch (error) {
      report(event, error);
    }
  });
}
