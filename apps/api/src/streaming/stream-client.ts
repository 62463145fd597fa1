import type { StreamFilter } from '@vigil/shared';
import type { StreamAccess } from '../sse/stream-access';
import type { Response } from 'express';
import { messageFrame } from '../sse/sse-frames';

export type ClientPhase = 'catching-up' | 'live' | 'closed';

/**
 * One open SSE response. Writes are bounded: a live client whose unsent bytes
 * pass `maxBufferedBytes` is cut off (it resumes with Last-Event-ID) instead of
 * being buffered without limit, so one stalled reader never costs the others.
 */
export class StreamClient {
  phase: ClientPhase = 'catching-up';
  /** Last log position this client has been brought past (sent or filtered out). */
  lastPosition: number;
  private drainWaiters: (() => void)[] = [];
  /** Latest metrics frame per source, held while the socket is behind. */
  private pendingMetrics?: Map<string, Buffer>;

  constructor(
    readonly id: number,
    readonly filter: StreamFilter,
    readonly access: StreamAccess,
    private readonly response: Response,
    private readonly maxBufferedBytes: number,
    startPosition: number,
    private readonly onClosed: (client: StreamClient, reason: string) => void,
  ) {
    this.lastPosition = startPosition;
    response.on('drain', () => {
      this.releaseDrainWaiters();
      this.flushMetrics();
    });
    response.on('close', () => {
      this.close('client disconnected');
    });
    response.on('error', () => {
      this.close('socket error');
    });
  }

  /** A method, not a getter: it changes while the hub awaits the socket, so it must be asked again each time. */
  isClosed(): boolean {
    return this.phase === 'closed';
  }

  /** Writes a live frame, or disconnects the client if it is too far behind. */
  sendLive(frame: Buffer): void {
    if (this.phase !== 'live') return;
    if (this.response.writableLength + frame.length > this.maxBufferedBytes) {
      this.close('slow client: send buffer over limit', true);
      return;
    }
    this.response.write(frame);
  }

  /** Writes during catch-up; resolves when the socket can take more. */
  async sendPaced(frame: Buffer): Promise<void> {
    if (this.phase === 'closed') return;
    if (!this.response.write(frame)) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  /**
   * Metrics are coalesced, not queued: while the socket is behind (or the client
   * is still catching up) only the latest sample of each source is kept, and it
   * goes out on the next drain. Metrics alone never get a client cut off.
   */
  sendMetrics(sourceKey: string, frame: Buffer): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'live' && !this.response.writableNeedDrain && !this.pendingMetrics?.size) {
      this.response.write(frame);
      return;
    }
    (this.pendingMetrics ??= new Map()).set(sourceKey, frame);
  }

  goLive(): void {
    if (this.phase !== 'catching-up') return;
    this.phase = 'live';
    this.flushMetrics();
  }

  private flushMetrics(): void {
    if (this.phase !== 'live' || !this.pendingMetrics) return;
    for (const [key, frame] of this.pendingMetrics) {
      if (this.response.writableNeedDrain) return;
      this.pendingMetrics.delete(key);
      this.response.write(frame);
    }
  }

  /** Sends a final `closed` message where the buffer allows, then ends the response. */
  end(reason: string): void {
    if (this.phase === 'closed') return;
    if (this.response.writableLength < this.maxBufferedBytes) {
      this.response.write(messageFrame({ type: 'closed', reason }));
    }
    this.response.end();
    this.close(reason);
  }

  close(reason: string, destroy = false): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    if (destroy) this.response.destroy();
    this.releaseDrainWaiters();
    this.onClosed(this, reason);
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
