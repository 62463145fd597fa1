import type { StoredEvent } from '@vigil/shared';

/** A committed log event, republished on the Nest EventBus for sagas and handlers. */
export class EventCommitted {
  constructor(readonly event: StoredEvent) {}
}
