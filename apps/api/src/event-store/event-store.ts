import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import type { Observable } from 'rxjs';

/** `number`: the stream must be at exactly that version (0 = must not exist yet). */
export type ExpectedVersion = number | 'any';

/** How an append may be committed. */
export interface AppendOptions {
  /**
   * Bookkeeping that need not be committed at once: it is committed with the next
   * append anyone makes (ahead of it, so the log keeps the order things happened
   * in), or after this many milliseconds if none comes. A burst of them is then a
   * few commits instead of one each.
   */
  maxDelayMs?: number;
}

export interface ReadFilter {
  /** Exact event types to include (patterns are resolved by the caller). */
  types?: readonly string[];
  /** Keep events of this environment and events without one. */
  environment?: string;
  /** Last position to include. */
  toPosition?: number;
  /** Rows fetched per page: bounds memory however large the range. */
  pageSize?: number;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  lastPosition: number;
  /** First position whose hash or sequence does not check out. */
  firstBadPosition?: number;
  reason?: string;
}

/** Thrown when expectedVersion does not match; surfaces as HTTP 409. */
export class ConcurrencyError extends Error {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${stream} is at version ${actual}, expected ${expected}`);
    this.name = 'ConcurrencyError';
  }
}

/** Thrown for appends made after close() began. */
export class EventStoreClosedError extends Error {
  constructor() {
    super('the event store is shutting down');
    this.name = 'EventStoreClosedError';
  }
}

/**
 * The event log. The only writer of it; everything else reads or subscribes.
 * An abstract class (not an interface) so it is also the Nest injection token:
 * a PostgreSQL implementation can be bound in its place without touching callers.
 */
export abstract class EventStore {
  /** Appends atomically; resolves once the events are durably committed. */
  abstract append(
    stream: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    meta: EventMeta,
    options?: AppendOptions,
  ): Promise<StoredEvent[]>;
  /** Events with position >= fromPosition, in position order, fetched page by page. */
  abstract read(fromPosition: number, filter?: ReadFilter): AsyncIterable<StoredEvent>;
  abstract readStream(stream: string): Promise<StoredEvent[]>;
  /**
   * Position of the last event with time <= `time` (0 if none). Event times follow
   * commit order, so this is a binary search over positions; replay uses it as the
   * one boundary between "in the snapshot at T" and "in the window after T".
   */
  abstract positionAt(time: Date): Promise<number>;
  /** Committed events, in position order, emitted only after commit. */
  abstract readonly events$: Observable<StoredEvent>;
  /** Position of the last committed event (0 when the log is empty). */
  abstract get position(): number;
  /** Streams (by prefix) that have an `openType` event and none of `closeTypes`. */
  abstract openStreams(prefix: string, openType: string, closeTypes: readonly string[]): Promise<string[]>;
  /** Recomputes the hash chain from the first event. */
  abstract verify(): Promise<VerifyResult>;
  /** Commits what is queued, then refuses further appends and closes the file. */
  abstract close(): Promise<void>;
}
