import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';
import { EventStore } from '../../event-store/event-store';
import { EventCommitted } from './event-committed.event';

/** Feeds committed events to the CQRS EventBus, so sagas react only to what is durable. */
@Injectable()
export class EventBusBridge implements OnApplicationBootstrap, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(EventBus) private readonly eventBus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.store.events$.subscribe((event) => this.eventBus.publish(new EventCommitted(event)));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
