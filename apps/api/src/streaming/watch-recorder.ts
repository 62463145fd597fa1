import type { Logger } from '@nestjs/common';
import { STREAM_SESSIONS_STREAM, type EventMeta, type EventType, type NewEvent } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store/event-store';
import type { StreamAccess } from '../sse/stream-access';

/** At most one watch append per this long: a lone open is recorded at once, a storm in a few commits. */
const MIN_APPEND_GAP_MS = 50;

interface WatchEvent {
  event: NewEvent;
  meta: EventMeta;
}

/**
 * Who was watching: one `stream.opened` and one `stream.closed` per live stream
 * connection (never per message), with the user and no filter details, so an
 * incident's timeline can show who had the dashboard open at each moment.
 * Appends are not awaited: a stream never waits for its own bookkeeping.
 *
 * An open or close is appended at once unless another was appended in the last
 * MIN_APPEND_GAP_MS; then it waits for the rest of that gap and goes with all that
 * came meanwhile (one append per user, since meta is per append). A reconnect
 * storm of thousands of streams so costs ~20 commits a second (each an fsync on
 * the event loop), not one per stream.
 */
export class WatchRecorder {
  private readonly connections = new WeakMap<object, string>();
  private pending: WatchEvent[] = [];
  private timer?: NodeJS.Timeout;
  private lastAppendAt = -Infinity;

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  opened(client: object, access: StreamAccess): void {
    const connectionId = randomUUID();
    this.connections.set(client, connectionId);
    this.record('stream.opened', connectionId, access);
  }

  closed(client: object, access: StreamAccess): void {
    const connectionId = this.connections.get(client);
    if (connectionId === undefined) return;
    this.connections.delete(client);
    this.record('stream.closed', connectionId, access);
  }

  /** Appends what is gathered now (also on shutdown, before the log closes). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastAppendAt = performance.now();
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    // Consecutive events of the same user go in one append, in order.
    for (let start = 0; start < batch.length;) {
      let end = start + 1;
      while (end < batch.length && sameActor(batch[end].meta, batch[start].meta)) end += 1;
      const events = batch.slice(start, end).map((item) => item.event);
      this.store.append(STREAM_SESSIONS_STREAM, 'any', events, batch[start].meta).catch((error: unknown) => {
        this.logger.debug(`could not record ${events.length} stream open/close event(s): ${String(error)}`);
      });
      start = end;
    }
  }

  private record(type: Extract<EventType, 'stream.opened' | 'stream.closed'>, connectionId: string, access: StreamAccess): void {
    const data = { connectionId, userId: access.userId, username: access.username };
    // One append may carry many connections (each is in its data): it is correlated by its first.
    const meta: EventMeta = { actor: { id: access.userId, username: access.username, roles: [access.role] }, correlationId: connectionId };
    this.pending.push({ event: { type, data }, meta });
    if (this.timer) return;
    const wait = this.lastAppendAt + MIN_APPEND_GAP_MS - performance.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.flush();
    }, wait);
    this.timer.unref();
  }
}

function sameActor(a: EventMeta, b: EventMeta): boolean {
  return a.actor?.id === b.actor?.id && a.actor?.roles[0] === b.actor?.roles[0];
}
