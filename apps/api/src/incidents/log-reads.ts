import { STREAM_SESSIONS_STREAM, type StoredEvent } from '@vigil/shared';
import type { EventStore } from '../event-store/event-store';

/** What the live incident pages and `vigil export --incident` read from the log alike. */

/** The stream.opened events of the live streams still open at `at`. */
export async function openStreamsAt(store: EventStore, at: Date): Promise<StoredEvent[]> {
  const upTo = await store.positionAt(at);
  const open = new Map<string, StoredEvent>();
  for (const event of await store.readStream(STREAM_SESSIONS_STREAM)) {
    if (event.position > upTo) break;
    if (event.type === 'stream.opened') open.set(event.data.connectionId, event);
    if (event.type === 'stream.closed') open.delete(event.data.connectionId);
  }
  return [...open.values()];
}

/** The log's last position and its hash: the chain head a postmortem cites. */
export async function logHead(store: EventStore): Promise<{ position: number; hash: string }> {
  const position = store.position;
  for await (const event of store.read(position, { toPosition: position })) return { position, hash: event.hash };
  return { position: 0, hash: '' };
}
