import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from '../config/settings';
import { readDatabaseSettings } from '../database/database-settings';
import type { EventStore } from '../event-store/event-store';
import { PostgresEventStore } from '../event-store/postgres-event-store';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { CliFailure } from './cli-command';

export function eventLogFile(dataDir: string): string {
  return join(dataDir, 'events.db');
}

/**
 * Opens the event log for appending, on the server's engine: the PostgreSQL
 * database of VIGIL_DATABASE_URL, else the SQLite file (creating the data dir
 * and the file when new).
 */
export async function openLogForWriting(dataDir: string): Promise<EventStore> {
  const database = readDatabaseSettings();
  if (database.kind === 'postgres') return PostgresEventStore.open({ settings: { ...database, poolSize: 2 } });
  ensureDataDir(dataDir);
  return SqliteEventStore.open({ file: eventLogFile(dataDir) });
}

/**
 * Opens an existing event log to read it (verify, rebuild, export). It never
 * creates a SQLite file: a wrong VIGIL_DATA_DIR is an error, not an empty log.
 * Reading is safe while the server runs: WAL gives this connection a consistent
 * snapshot (and PostgreSQL rows below the head never change).
 */
export async function openLogForReading(dataDir: string): Promise<EventStore> {
  const database = readDatabaseSettings();
  if (database.kind === 'postgres') return PostgresEventStore.open({ settings: { ...database, poolSize: 2 } });
  const file = eventLogFile(dataDir);
  if (!existsSync(file)) throw new CliFailure(`no event log at ${file} (set VIGIL_DATA_DIR to the server's data dir)`);
  return SqliteEventStore.open({ file });
}
