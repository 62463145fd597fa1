import { Logger } from '@nestjs/common';
import type { EventMeta, EventType, NewEvent } from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';
import { errorMessage } from './error-message';
import { label, type ManagedService } from './managed-service';

/** The event types the supervisor records about its services. */
export type ServiceEventType = Extract<EventType, `service.${string}`>;

/**
 * Records what happens to the supervised processes as service.* events in each
 * service's stream. A failed append is logged, never thrown: a process that
 * started or exited did so whether or not the log took note.
 */
export class ServiceJournal {
  private readonly logger = new Logger('Supervisor');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly store: Pick<EventStore, 'append'>) {}

  /** Appends in the background; settled() waits for it. */
  record(svc: ManagedService, type: ServiceEventType, data: Record<string, unknown>, meta: EventMeta): void {
    const work = this.append(svc, type, data, meta);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Appends and waits for it. */
  async append(svc: ManagedService, type: ServiceEventType, data: Record<string, unknown>, meta: EventMeta): Promise<void> {
    const event: NewEvent<ServiceEventType> = { type, data: { service: svc.config.name, environment: svc.environment, ...data } };
    try {
      await this.store.append(svc.stream, 'any', [event], meta);
    } catch (error) {
      this.logger.warn(`could not append ${type} for ${label(svc)}: ${errorMessage(error)}`);
    }
  }

  /** Waits for the appends recorded so far (tests; shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }
}
