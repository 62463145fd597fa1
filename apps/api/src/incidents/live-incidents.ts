import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { evolveIncident, INCIDENT_EVENT_TYPES, type IncidentView, type StoredEvent } from '@vigil/shared';
import type { Subscription } from 'rxjs';
import { EventStore } from '../event-store/event-store';
import { catchUpThenFollow } from '../projections/catch-up-then-follow';
import { IncidentsReadModel } from './incidents-read-model';
import { logHead, openStreamsAt } from './log-reads';

const FOLDED: ReadonlySet<string> = new Set(INCIDENT_EVENT_TYPES);

/** The incidents of the log, folded in memory (catch up, then follow), and the log's window reads. */
@Injectable()
export class LiveIncidents extends IncidentsReadModel implements OnModuleInit, OnModuleDestroy {
  private readonly views = new Map<string, IncidentView>();
  private position = 0;
  private subscription?: Subscription;

  constructor(@Inject(EventStore) private readonly store: EventStore) {
    super();
  }

  async onModuleInit(): Promise<void> {
    this.subscription = await catchUpThenFollow(
      this.store,
      async () => {
        for await (const event of this.store.read(1, { types: INCIDENT_EVENT_TYPES })) this.apply(event);
      },
      (event) => {
        this.apply(event);
      },
    );
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Folds one event; the write side calls it too, so a 201 already shows what it wrote. */
  apply(event: StoredEvent): void {
    if (!FOLDED.has(event.type) || event.position <= this.position) return;
    this.position = event.position;
    const incidentId = (event.data as { incidentId: string }).incidentId;
    const next = evolveIncident(this.views.get(incidentId), event);
    if (next) this.views.set(incidentId, next);
  }

  list(): IncidentView[] {
    return [...this.views.values()];
  }

  incident(incidentId: string): IncidentView | undefined {
    return this.views.get(incidentId);
  }

  async *windowEvents(from: Date, to: Date): AsyncIterable<StoredEvent> {
    const first = (await this.store.positionAt(from)) + 1;
    const last = await this.store.positionAt(to);
    if (last < first) return;
    yield* this.store.read(first, { toPosition: last });
  }

  openStreamsAt(at: Date): Promise<StoredEvent[]> {
    return openStreamsAt(this.store, at);
  }

  head(): Promise<{ position: number; hash: string }> {
    return logHead(this.store);
  }

  now(): number {
    return Date.now();
  }
}
