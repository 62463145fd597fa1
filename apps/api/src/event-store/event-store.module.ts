import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { SETTINGS } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite-event-store';

/** Closes the log last, after streams and handlers have stopped, flushing queued appends. */
@Injectable()
class EventStoreShutdown implements OnApplicationShutdown {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: EventStore,
      inject: [SETTINGS],
      useFactory: async (settings: Settings): Promise<EventStore> => {
        ensureDataDir(settings.dataDir);
        return SqliteEventStore.open({ file: join(settings.dataDir, 'events.db') });
      },
    },
    EventStoreShutdown,
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
