import type { DashboardState } from './dashboard-state';
import type { StoredEvent } from './events';
import type { MetricsMessage } from './metrics';

/**
 * What arrives on /api/stream and /api/replay. Durable events carry an SSE `id:`
 * (their position); the live-only messages below do not.
 */
export interface SnapshotMessage {
  type: 'snapshot';
  /** The log position the state includes; live events continue after it. */
  position: number;
  state: DashboardState;
  /**
   * Set when a resume could not be honoured (a Last-Event-ID beyond the log's head:
   * the log was reset, or the id came from another server): why the client gets a
   * fresh snapshot instead of the events after its id.
   */
  reason?: string;
}

/** Sent just before the server ends a stream on purpose (shutdown, slow client, limits). */
export interface ClosedMessage {
  type: 'closed';
  reason: string;
}

export type LiveMessage = SnapshotMessage | ClosedMessage | MetricsMessage;
export type StreamMessage = StoredEvent | LiveMessage;

export function isDurableEvent(message: StreamMessage): message is StoredEvent {
  return 'position' in message && 'hash' in message;
}
