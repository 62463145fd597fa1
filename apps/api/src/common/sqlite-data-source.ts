import type BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, openSync, statSync } from 'node:fs';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';

export interface SqliteFileOptions {
  file: string;
  /** FULL for the audit log (every commit on disk), NORMAL for telemetry and read models. */
  synchronous: 'FULL' | 'NORMAL';
  entities?: MixedList<string | EntitySchema | (new () => unknown)>;
  migrations: (new () => unknown)[];
}

/** The last open of each file in this process: opens of one file run one after another. */
const opening = new Map<string, Promise<unknown>>();

/**
 * Opens one of Vigil's SQLite files through TypeORM's better-sqlite3 driver: WAL,
 * the given durability, migrations run. Every store opens its file this way.
 * Several stores may share a file (projections.db holds several read models, each
 * with its own migrations): their opens are queued, because two concurrent
 * migration runs would both try to create the migrations table.
 */
export function openSqliteDataSource(options: SqliteFileOptions): Promise<DataSource> {
  const previous = opening.get(options.file) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => initialize(options));
  opening.set(options.file, next);
  const forget = (): void => {
    if (opening.get(options.file) === next) opening.delete(options.file);
  };
  next.then(forget, forget);
  return next;
}

/**
 * Makes the database file (and its WAL and shared-memory files, which SQLite gives
 * the database's mode) readable by its owner only: events.db holds every password
 * hash. A new file is created 0600 before SQLite opens it; an older, wider one is narrowed.
 */
function ownerOnly(file: string): void {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      if (statSync(path).mode & 0o077) chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

async function initialize(options: SqliteFileOptions): Promise<DataSource> {
  ownerOnly(options.file);
  const dataSource = new DataSource({
    type: 'better-sqlite3',
    database: options.file,
    entities: options.entities ?? [],
    migrations: options.migrations as never,
    migrationsRun: true,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    prepareDatabase: (db: BetterSqlite3.Database) => {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous}`);
      db.pragma('busy_timeout = 5000');
    },
  });
  await dataSource.initialize();
  return dataSource;
}

/** The raw better-sqlite3 connection behind a data source, for prepared statements on hot paths. */
export function rawConnection(dataSource: DataSource): BetterSqlite3.Database {
  return (dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database }).databaseConnection;
}
