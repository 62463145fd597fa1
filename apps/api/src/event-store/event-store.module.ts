import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type pg from 'pg';
import { SETTINGS } from '../config/config.module';
import { ensureDataDir, type Settings } from '../config/settings';
import type { DatabaseSettings } from '../database/database-settings';
import { DATABASE_SETTINGS, PG_POOL } from '../database/database.tokens';
import { EventStore } from './event-store';
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
      inject: [SETTINGS, DATABASE_SETTINGS, PG_POOL],
      useFactory: async (settings: Settings, database: DatabaseSettings, pool: pg.Pool | null): Promise<EventStore> => {
        // VIGIL_DATABASE_URL selects PostgreSQL (shared by a cluster); SQLite under VIGIL_DATA_DIR otherwise.
        if (database.kind === 'postgres') return PostgresEventStore.open({ settings: database, pool: pool ?? undefined });
        ensureDataDir(settings.dataDir);
        return SqliteEventStore.open({ file: join(settings.dataDir, 'events.db') });
      },
    },
    EventStoreShutdown,
  ],
  exports: [EventStore],
})
export class EventStoreModule {}
