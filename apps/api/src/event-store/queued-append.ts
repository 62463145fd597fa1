import { canonicalize, type EventMeta, type NewEvent, type StoredEvent } from '@vigil/shared';
import type { ChainableAppend, ChainedRow } from './event-hash';
import type { ExpectedVersion } from './event-store';

/** One append as both engines queue it for their group commit. */
export interface QueuedAppend extends ChainableAppend {
  expectedVersion: ExpectedVersion;
  events: NewEvent[];
  /** JSON.parse of each of `dataJsons`, made in the same walk: what the stored events carry. */
  datas: unknown[];
  /** JSON.parse of `metaJson`, for the first event (the others get their own copy). */
  meta: unknown;
  /** meta.environment, stored in its own column for filtering. */
  environment: string | null;
}

/**
 * Serialises an append in the caller's turn, so a bad payload fails its own
 * append only, never the group commit it would have shared with others. Answers
 * an Error (for the append to reject with) when data or meta cannot be stored as JSON.
 */
export function queuedAppend(stream: string, expectedVersion: ExpectedVersion, events: NewEvent[], meta: EventMeta): QueuedAppend | Error {
  try {
    const canonicalMeta = canonicalize(meta);
    const dataJsons = new Array<string>(events.length);
    const datas = new Array<unknown>(events.length);
    for (let index = 0; index < events.length; index++) {
      const data = canonicalize(events[index].data);
      dataJsons[index] = data.json;
      datas[index] = data.value;
    }
    return {
      stream,
      expectedVersion,
      events,
      dataJsons,
      datas,
      metaJson: canonicalMeta.json,
      meta: canonicalMeta.value,
      environment: meta.environment ?? null,
    };
  } catch (error) {
    return new Error(
      `event data or meta for ${stream} cannot be stored as JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** The stored events of an append's chained rows, as its append resolves with them and events$ publishes them. */
export function storedEventsOf(rows: readonly ChainedRow[], append: QueuedAppend): StoredEvent[] {
  const events = new Array<StoredEvent>(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const { position, stream, version, type, time, hash } = rows[index];
    const data = append.datas[index];
    const meta: unknown = index === 0 ? append.meta : JSON.parse(append.metaJson);
    // Keys in the order clients have always seen them (as rowToEvent has them).
    events[index] = { position, stream, version, type, data, meta, time, hash } as StoredEvent;
  }
  return events;
}
