import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import type pg from 'pg';
import { readDatabaseSettings, type DatabaseSettings } from './database-settings';
import { DATABASE_SETTINGS, PG_POOL } from './database.tokens';
import { createPgPool, endPool } from './pg-pool';

/**
 * Ends the pool when the app shuts down. Global modules shut down in the reverse
 * order of their registration, so AppModule imports DatabaseModule before every
 * module whose stores use the pool: they flush first, then the pool ends.
 */
@Injectable()
class PgPoolShutdown implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.pool) await endPool(this.pool);
  }
}

/**
 * The database engine, chosen by VIGIL_DATABASE_URL: DATABASE_SETTINGS says which,
 * PG_POOL is the shared pg.Pool under PostgreSQL (null under SQLite). Stores that
 * need a dedicated connection (LISTEN, advisory locks) make their own pg.Client
 * with pgClientConfig().
 */
@Global()
@Module({
  providers: [
    { provide: DATABASE_SETTINGS, useFactory: (): DatabaseSettings => readDatabaseSettings() },
    {
      provide: PG_POOL,
      inject: [DATABASE_SETTINGS],
      useFactory: (settings: DatabaseSettings): pg.Pool | null => (settings.kind === 'postgres' ? createPgPool(settings) : null),
    },
    PgPoolShutdown,
  ],
  exports: [DATABASE_SETTINGS, PG_POOL],
})
export class DatabaseModule {}
