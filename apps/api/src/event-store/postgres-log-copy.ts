import Database from 'better-sqlite3';
import pg from 'pg';
import { redactedUrl, type PostgresDatabaseSettings } from '../database/database-settings';
import { pgClientConfig } from '../database/pg-pool';
import { runPostgresMigrations, unreachable } from '../database/postgres-migrations';
import { CreatePostgresEventLog1796342400001 } from './migrations/1796342400001-create-postgres-event-log';
import { PG_COLUMNS } from './postgres-event-rows';
import type { RawRow } from './stored-event';

/** Refused: the target already holds events (copy-log never merges two logs). */
export class TargetNotEmptyError extends Error {
  constructor(
    readonly url: string,
    readonly events: number,
  ) {
    super(`the PostgreSQL database ${redactedUrl(url)} already holds an event log (${events} events): copy-log only fills an empty one`);
    this.name = 'TargetNotEmptyError';
  }
}

export interface CopiedLog {
  events: number;
  lastHash: string;
}

const PAGE = 2000;

const INSERT_PAGE = `INSERT INTO events (${PG_COLUMNS})
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`;

/** Rows in the target: the head's position, or any row at all (a head reset by hand). */
async function eventsIn(client: pg.ClientBase): Promise<number> {
  const head = await client.query<{ position: string; rows: boolean }>(
    'SELECT (SELECT position FROM event_log_head WHERE id = 1) AS position, EXISTS (SELECT 1 FROM events) AS rows',
  );
  const position = Number(head.rows.at(0)?.position ?? 0);
  return position > 0 ? position : head.rows.at(0)?.rows ? 1 : 0;
}

/**
 * Copies the SQLite log file, row by row and byte for byte (same positions,
 * times, canonical JSON and hashes), into an empty PostgreSQL event log, in one
 * transaction holding the head row: a node started meanwhile waits, and a
 * failure leaves the target empty. Refuses a target that holds any event.
 */
export async function copySqliteLogToPostgres(sqliteFile: string, settings: PostgresDatabaseSettings): Promise<CopiedLog> {
  await runPostgresMigrations(settings, [CreatePostgresEventLog1796342400001]);
  const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  const target = new pg.Client({ ...pgClientConfig(settings, 'vigil-copy-log'), statement_timeout: 0 });
  try {
    await target.connect();
  } catch (error) {
    source.close();
    throw unreachable(settings, error);
  }
  try {
    await target.query('BEGIN');
    await target.query('SELECT position FROM event_log_head WHERE id = 1 FOR UPDATE');
    const existing = await eventsIn(target);
    if (existing > 0) throw new TargetNotEmptyError(settings.url, existing);

    const page = source.prepare(`SELECT ${PG_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ${PAGE}`).raw(true);
    let after = 0;
    let copied = 0;
    let last: RawRow | undefined;
    for (;;) {
      const rows = page.all(after) as RawRow[];
      if (rows.length === 0) break;
      const columns = Array.from({ length: 9 }, (_, column) => rows.map((row) => (column === 0 ? String(row[0]) : row[column])));
      await target.query(INSERT_PAGE, columns);
      last = rows[rows.length - 1];
      after = last[0];
      copied += rows.length;
    }
    if (last) {
      await target.query('UPDATE event_log_head SET position = $1, hash = $2, time = $3 WHERE id = 1', [String(last[0]), last[8], last[7]]);
    }
    await target.query('COMMIT');
    return { events: copied, lastHash: last?.[8] ?? '' };
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    source.close();
    await target.end();
  }
}
