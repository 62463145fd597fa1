import type { EventMeta, NewEvent, StoredEvent } from '@vigil/shared';
import type { Observable } from 'rxjs';
import { EventStore, type AppendOptions, type ExpectedVersion, type ReadFilter, type VerifyResult } from './event-store';

/**
 * In a cluster, every event records the node that appended it (`meta.node`): the
 * command runner's claim says who runs a command, recovery closes only its own, and
 * `ping` runs where it was accepted. A thin wrapper, so no store needs to know.
 */
export class NodeStampedEventStore extends EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly node: string,
  ) {
    super();
  }

  append(
    stream: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    meta: EventMeta,
    options?: AppendOptions,
  ): Promise<StoredEvent[]> {
    return this.inner.append(stream, expectedVersion, events, meta.node === undefined ? { ...meta, node: this.node } : meta, options);
  }

  read(fromPosition: number, filter?: ReadFilter): AsyncIterable<StoredEvent> {
    return this.inner.read(fromPosition, filter);
  }

  readStream(stream: string): Promise<StoredEvent[]> {
    return this.inner.readStream(stream);
  }

  positionAt(time: Date): Promise<number> {
    return this.inner.positionAt(time);
  }

  get events$(): Observable<StoredEvent> {
    return this.inner.events$;
  }

  get position(): number {
    return this.inner.position;
  }

  openStreams(prefix: string, openType: string, closeTypes: readonly string[]): Promise<string[]> {
    return this.inner.openStreams(prefix, openType, closeTypes);
  }

  verify(): Promise<VerifyResult> {
    return this.inner.verify();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
