import type { StoredEvent } from '@vigil/shared';
import type { RawRow } from './stored-event';
import { rowToEvent } from './stored-event';

/** The columns in the order RawRow has them. */
export const PG_COLUMNS = 'position, stream, version, type, environment, data, meta, time, hash';

/** A row as pg returns it in array mode: bigint position as text. */
export type PgRawRow = [string, string, number, string, string | null, string, string, string, string];

export function pgRawRow(row: PgRawRow): RawRow {
  return [Number(row[0]), row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]];
}

export function pgRowToEvent(row: PgRawRow): StoredEvent {
  return rowToEvent(pgRawRow(row));
}
