import type { StoredEvent } from '@vigil/shared';
import type pg from 'pg';
import { chainRows, type ChainedRow } from './event-hash';
import { ConcurrencyError } from './event-store';
import { storedEventsOf, type QueuedAppend } from './queued-append';

/** The NOTIFY channel; the payload is the new head position only. */
export const EVENTS_CHANNEL = 'vigil_events';

/** One queued append, serialised in the caller's turn (the hash covers exactly its JSON texts). */
export type AppendRequest = QueuedAppend;

export interface BatchOutcome {
  /** Per request: its stored events, or why it was refused (ConcurrencyError). */
  results: (StoredEvent[] | Error)[];
  /** Every event committed, in position order (dense). */
  committed: StoredEvent[];
}

interface HeadRow {
  position: string;
  hash: string;
  time: string | null;
  now: number;
}

/**
 * One round trip (a simple query of three statements): open the transaction,
 * take the head row's lock, then read the batch's stream versions. In READ
 * COMMITTED each statement has its own snapshot, so the versions are read after
 * the lock is held and see every commit made before it. The stream names are
 * quoted by the driver's escapeLiteral (a simple query takes no parameters).
 */
function lockHeadAndReadVersions(client: pg.ClientBase, streams: readonly string[]): string {
  const names = streams.map((stream) => client.escapeLiteral(stream)).join(', ');
  return `BEGIN;
    SELECT position, hash, time, extract(epoch FROM clock_timestamp()) * 1000 AS now FROM event_log_head WHERE id = 1 FOR UPDATE;
    SELECT stream, max(version) AS version FROM events WHERE stream IN (${names}) GROUP BY stream`;
}

// One round trip: every row (unnest of column arrays), the head, and the NOTIFY
// (sent by the server at commit, so listeners never hear of uncommitted rows).
const INSERT_ROWS = `WITH inserted AS (
    INSERT INTO events (position, stream, version, type, environment, data, meta, time, hash)
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
  ), head AS (
    UPDATE event_log_head SET position = $10::bigint, hash = $11, time = $12 WHERE id = 1
  )
  SELECT pg_notify('${EVENTS_CHANNEL}', $10::bigint::text)`;

/** Columns as parallel arrays, for one INSERT … SELECT unnest(…). */
class Columns {
  readonly position: string[] = [];
  readonly stream: string[] = [];
  readonly version: number[] = [];
  readonly type: string[] = [];
  readonly environment: (string | null)[] = [];
  readonly data: string[] = [];
  readonly meta: string[] = [];
  readonly time: string[] = [];
  readonly hash: string[] = [];

  push(row: ChainedRow, environment: string | null): void {
    this.position.push(String(row.position));
    this.stream.push(row.stream);
    this.version.push(row.version);
    this.type.push(row.type);
    this.environment.push(environment);
    this.data.push(row.dataJson);
    this.meta.push(row.metaJson);
    this.time.push(row.time);
    this.hash.push(row.hash);
  }
}

/**
 * Writes one group commit on `client` in three round trips: BEGIN + lock the
 * head + read the batch's stream versions; insert every row + move the head +
 * NOTIFY; COMMIT. Positions and the chain continue from the locked head; an append whose
 * expected version does not match is refused alone (ConcurrencyError) and takes
 * no position. Event times come from the database server's clock, never before
 * the head's time, so they follow commit order across nodes whatever their
 * clocks say. Throws (after ROLLBACK) when the transaction fails: nothing of the
 * batch is written.
 */
export async function writeBatch(client: pg.ClientBase, batch: readonly AppendRequest[]): Promise<BatchOutcome> {
  try {
    const streams = [...new Set(batch.map((request) => request.stream))];
    const [, locked, current] = (await client.query(lockHeadAndReadVersions(client, streams))) as unknown as [
      pg.QueryResult,
      pg.QueryResult<HeadRow>,
      pg.QueryResult<{ stream: string; version: number }>,
    ];
    const head = locked.rows.at(0);
    if (!head) throw new Error('the event_log_head row is missing (was the migration run?)');
    const versions = new Map(current.rows.map((row) => [row.stream, row.version]));

    const serverNow = new Date(Math.floor(head.now)).toISOString();
    const time = head.time !== null && head.time > serverNow ? head.time : serverNow;
    let position = Number(head.position);
    let hash = head.hash;
    const columns = new Columns();
    const results: (StoredEvent[] | Error)[] = [];
    const committed: StoredEvent[] = [];

    for (const request of batch) {
      const current = versions.get(request.stream) ?? 0;
      if (request.expectedVersion !== 'any' && request.expectedVersion !== current) {
        results.push(new ConcurrencyError(request.stream, request.expectedVersion, current));
        continue;
      }
      const rows = chainRows({ position, hash }, current, time, request);
      for (const row of rows) columns.push(row, request.environment);
      const stored = storedEventsOf(rows, request);
      const last = rows[rows.length - 1];
      position = last.position;
      hash = last.hash;
      versions.set(request.stream, last.version);
      results.push(stored);
      committed.push(...stored);
    }

    if (committed.length === 0) {
      await client.query('ROLLBACK');
      return { results, committed };
    }
    const c = columns;
    await client.query(INSERT_ROWS, [
      c.position,
      c.stream,
      c.version,
      c.type,
      c.environment,
      c.data,
      c.meta,
      c.time,
      c.hash,
      position,
      hash,
      time,
    ]);
    await client.query('COMMIT');
    return { results, committed };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
