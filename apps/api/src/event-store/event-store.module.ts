import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type pg from 'pg';
import { Cluster } from '../cluster/cluster';
import { SETTINGS } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { EventStore } from './event-store';
import { NodeStampedEventStore } from './node-stamped-event-store';
import { PostgresEventStore } from './postgres-event-store';
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
      inject: [SETTINGS, DATABASE_SETTINGS, PG_POOL, Cluster],
      useFactory: async (settings: Settings, database: DatabaseSettings, pool: pg.Pool | null, cluster: Cluster): Promise<EventStore> => {
        // VIGIL_DATABASE_URL selects PostgreSQL (shared by a cluster); SQLite under VIGIL_DATA_DIR otherwise.
        if (database.kind === 'postgres') {
          const store = await PostgresEventStore.open({ settings: database, pool: pool ?? undefined });
          // Every event records the node that appended it (meta.node).
          return new NodeStampedEventStore(store, cluster.nodeName);
        }
        ensureDataDir(settings.dataDir);
        return SqliteEventStore.open({ file: join(settings.dataDir, 'events.db') });
      },
    },
    EventStoreShutdown,
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
