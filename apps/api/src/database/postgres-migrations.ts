import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { redactedUrl, type PostgresDatabaseSettings } from './database-settings';
import { pgClientConfig } from './pg-pool';

/** Any fixed number: the advisory lock key under which every node runs its migrations. */
const MIGRATION_LOCK_KEY = 7_431_100_013;

/**
 * Runs TypeORM migrations on the PostgreSQL database, one node at a time: nodes
 * that start together would otherwise all try to create the same tables. The
 * lock is a session advisory lock on a connection of its own, held while a
 * short-lived one-connection TypeORM data source runs the pending migrations
 * (each in its own transaction), then both are closed. Every store passes its
 * own migrations; they share the `schema_migrations` table, as on SQLite.
 */
export async function runPostgresMigrations(
  settings: PostgresDatabaseSettings,
  migrations: (new () => MigrationInterface)[],
): Promise<void> {
  const lock = new pg.Client({ ...pgClientConfig(settings, 'vigil-migrations'), statement_timeout: 0, lock_timeout: 0 });
  try {
    await lock.connect();
  } catch (error) {
    throw unreachable(settings, error);
  }
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const dataSource = new DataSource({
      type: 'postgres',
      url: settings.url,
      applicationName: 'vigil-migrations',
      connectTimeoutMS: settings.connectTimeoutMs,
      extra: { max: 1 },
      migrations,
      migrationsTableName: 'schema_migrations',
      migrationsTransactionMode: 'each',
      synchronize: false,
      logging: false,
    });
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
    } finally {
      await dataSource.destroy();
    }
  } finally {
    // Ending the session releases the advisory lock too.
    await lock.end();
  }
}

/** The first connection failed: say where to (without the password) and why. */
export function unreachable(settings: PostgresDatabaseSettings, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`cannot connect to the PostgreSQL database ${redactedUrl(settings.url)} (VIGIL_DATABASE_URL): ${reason}`);
}
