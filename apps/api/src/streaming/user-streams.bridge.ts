import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { UsersProjection } from '../auth/users.projection';
import { EventStore } from '../event-store/event-store';
import { accessEnds } from '../sse/access-ends';
import { StreamHub } from './stream-hub.service';

/**
 * Access changes reach open streams at once: a disabled user or a changed role
 * closes that user's streams (the client reconnects under its new rights or not
 * at all); a logout closes the streams of that session.
 */
@Injectable()
export class UserStreamsBridge implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(StreamHub) private readonly hub: StreamHub,
  ) {}

  onModuleInit(): void {
    this.subscription = accessEnds(this.users, this.store.events$).subscribe(({ userId, sessionId, reason }) => {
      if (sessionId === undefined) this.hub.closeStreamsOf(userId, reason);
      else this.hub.closeSessionStreams(userId, sessionId, reason);
    });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
