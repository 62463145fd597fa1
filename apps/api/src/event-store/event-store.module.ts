import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { Cluster } from '../cluster/cluster';
import { SETTINGS } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import { EventStore } from './event-store';
import { NodeStampedEventStore } from './node-stamped-event-store';
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
      inject: [SETTINGS, Cluster],
      useFactory: async (settings: Settings, cluster: Cluster): Promise<EventStore> => {
        ensureDataDir(settings.dataDir);
        const store = await SqliteEventStore.open({ file: join(settings.dataDir, 'events.db') });
        return cluster.clustered ? new NodeStampedEventStore(store, cluster.nodeName) : store;
      },
    },
    EventStoreShutdown,
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
