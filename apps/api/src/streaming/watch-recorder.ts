import type { Logger } from '@nestjs/common';
import { STREAM_SESSIONS_STREAM, type EventType } from '@vigil/shared';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../event-store/event-store';
import type { StreamAccess } from '../sse/stream-access';

// Short: the record's time (its commit's) is at most this late, so an incident window that ends just after a close still holds it.
const RECORD_WITHIN_MS = 10;

/**
 * Who was watching: one `stream.opened` and one `stream.closed` per live stream
 * connection (never per message), with the user and no filter details, so an
 * incident's timeline can show who had the dashboard open at each moment.
 * Appends are not awaited: a stream never waits for its own bookkeeping. They may
 * wait for a commit (RECORD_WITHIN_MS, or the next append anyone makes, whichever
 * is first), so a reconnect storm of thousands of streams is a few dozen commits,
 * not one each, and the log still has them before anything that happened later.
 */
export class WatchRecorder {
  private readonly connections = new WeakMap<object, string>();

  constructor(
    private readonly store: EventStore,
    private readonly logger: Logger,
  ) {}

  opened(client: object, access: StreamAccess): void {
    const connectionId = randomUUID();
    this.connections.set(client, connectionId);
    this.append('stream.opened', connectionId, access);
  }

  closed(client: object, access: StreamAccess): void {
    const connectionId = this.connections.get(client);
    if (connectionId === undefined) return;
    this.connections.delete(client);
    this.append('stream.closed', connectionId, access);
  }

  private append(type: Extract<EventType, 'stream.opened' | 'stream.closed'>, connectionId: string, access: StreamAccess): void {
    const data = { connectionId, userId: access.userId, username: access.username };
    this.store
      .append(
        STREAM_SESSIONS_STREAM,
        'any',
        [{ type, data }],
        {
          actor: { id: access.userId, username: access.username, roles: [access.role] },
          correlationId: connectionId,
        },
        { maxDelayMs: RECORD_WITHIN_MS },
      )
      .catch((error: unknown) => {
        this.logger.debug(`could not record ${type}: ${String(error)}`);
      });
  }
}
