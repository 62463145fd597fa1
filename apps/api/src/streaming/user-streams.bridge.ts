import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { filter, Subscription } from 'rxjs';
import { UsersProjection } from '../auth/users.projection';
import { EventStore } from '../event-store/event-store';
import { StreamHub } from './stream-hub.service';

/**
 * Access changes reach open streams at once: a disabled user or a changed role
 * closes that user's streams (the client reconnects under its new rights or not
 * at all); a logout closes the streams of that session.
 */
@Injectable()
export class UserStreamsBridge implements OnModuleInit, OnModuleDestroy {
  private readonly subscription = new Subscription();

  constructor(
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(StreamHub) private readonly hub: StreamHub,
  ) {}

  onModuleInit(): void {
    this.subscription.add(this.users.changes$.subscribe(({ userId, reason }) => this.hub.closeStreamsOf(userId, reason)));
    this.subscription.add(
      this.store.events$.pipe(filter((event) => event.type === 'user.logged-out')).subscribe((event) => {
        const data = event.data as { userId: string; jti: string };
        this.hub.closeSessionStreams(data.userId, data.jti, 'signed out');
      }),
    );
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }
}
