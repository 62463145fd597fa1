import type { StoredEvent } from '@vigil/shared';
import type { HashableRow } from './event-hash';

/** A row as the store selects it: position, stream, version, type, environment, data, meta, time, hash. */
export type RawRow = [number, string, number, string, string | null, string, string, string, string];

/** An event from its stored columns; `data` and `meta` are the canonical JSON the hash covers. */
export function storedEvent(
  row: Omit<HashableRow, 'dataJson' | 'metaJson'>,
  dataJson: string,
  metaJson: string,
  hash: string,
): StoredEvent {
  const data: unknown = JSON.parse(dataJson);
  const meta: unknown = JSON.parse(metaJson);
  // Keys in the order clients have always seen them.
  const { position, stream, version, type, time } = row;
  return { position, stream, version, type, data, meta, time, hash } as StoredEvent;
}

export function rowToEvent(row: RawRow): StoredEvent {
  return storedEvent({ position: row[0], stream: row[1], version: row[2], type: row[3], time: row[7] }, row[5], row[6], row[8]);
}

/** Sync work behind the async API (a PostgreSQL store needs it): a throw becomes a rejection, as in an async method. */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
