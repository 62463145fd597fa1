import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from '../config/settings';
import { SqliteEventStore } from '../event-store/sqlite-event-store';
import { CliFailure } from './cli-command';

export function eventLogFile(dataDir: string): string {
  return join(dataDir, 'events.db');
}

/** Opens the event log for appending (creates the data dir and the file when new). */
export async function openLogForWriting(dataDir: string): Promise<SqliteEventStore> {
  ensureDataDir(dataDir);
  return SqliteEventStore.open({ file: eventLogFile(dataDir) });
}

/**
 * Opens an existing event log to read it (verify, rebuild, export). It never
 * creates one: a wrong VIGIL_DATA_DIR is an error, not an empty log. Reading is
 * safe while the server runs: WAL gives this connection a consistent snapshot.
 */
export async function openLogForReading(dataDir: string): Promise<SqliteEventStore> {
  const file = eventLogFile(dataDir);
  if (!existsSync(file)) throw new CliFailure(`no event log at ${file} (set VIGIL_DATA_DIR to the server's data dir)`);
  return SqliteEventStore.open({ file });
}
