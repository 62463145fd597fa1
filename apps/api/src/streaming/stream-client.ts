import type { StreamFilter } from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { StreamAccess } from '../sse/stream-access';
import { messageFrameText } from '../sse/sse-frames';
import { WireFrame } from '../sse/wire-frame';

export type ClientPhase = 'catching-up' | 'live' | 'closed';

/**
 * One open SSE response. Writes are bounded: a live client whose unsent bytes
 * pass `maxBufferedBytes` is cut off (it resumes with Last-Event-ID) instead of
 * being buffered without limit, so one stalled reader never costs the others.
 *
 * On a chunked HTTP/1.1 response (every browser and proxy) frames go straight to
 * the socket as pre-framed chunks: one write per frame, no per-socket framing and
 * no cork/uncork turn in http's OutgoingMessage. The response itself only sends
 * the headers and, at the end, the last chunk; anything else (HTTP/1.0) is written
 * through the response as before.
 */
export class StreamClient {
  phase: ClientPhase = 'catching-up';
  /** Last log position this client has been brought past (sent or filtered out). */
  lastPosition: number;
  private drainWaiters: (() => void)[] = [];
  /** Latest metrics frame per source, held while the socket is behind. */
  private pendingMetrics?: Map<string, WireFrame>;
  /** Set when frames are written to the socket directly (headers must be sent before the client is made). */
  private readonly socket: Socket | undefined;

  constructor(
    readonly id: number,
    readonly filter: StreamFilter,
    readonly access: StreamAccess,
    private readonly response: ServerResponse,
    private readonly maxBufferedBytes: number,
    startPosition: number,
    private readonly onClosed: (client: StreamClient, reason: string) => void,
  ) {
    this.lastPosition = startPosition;
    this.socket = response.headersSent && response.chunkedEncoding && response.socket ? response.socket : undefined;
    (this.socket ?? response).on('drain', () => {
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

  /** Bytes written but not yet taken by the kernel. */
  private buffered(): number {
    return this.socket ? this.socket.writableLength : this.response.writableLength;
  }

  private behind(): boolean {
    return this.socket ? this.socket.writableNeedDrain : this.response.writableNeedDrain;
  }

  private write(frame: WireFrame): boolean {
    return this.socket ? this.socket.write(frame.chunk) : this.response.write(frame.bytes);
  }

  /** Writes a frame whatever the phase (the retry hint and the snapshot, before going live). */
  sendNow(frame: WireFrame): void {
    if (this.phase !== 'closed') this.write(frame);
  }

  /** Writes a live frame, or disconnects the client if it is too far behind. */
  sendLive(frame: WireFrame): void {
    if (this.phase !== 'live') return;
    if (this.buffered() + frame.chunk.length > this.maxBufferedBytes) {
      this.close('slow client: send buffer over limit', true);
      return;
    }
    this.write(frame);
  }

  /** Writes during catch-up; resolves when the socket can take more. */
  async sendPaced(frame: WireFrame): Promise<void> {
    if (this.phase === 'closed') return;
    if (!this.write(frame)) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  /**
   * Metrics are coalesced, not queued: while the socket is behind (or the client
   * is still catching up) only the latest sample of each source is kept, and it
   * goes out on the next drain. Metrics alone never get a client cut off.
   */
  sendMetrics(sourceKey: string, frame: WireFrame): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'live' && !this.behind() && !this.pendingMetrics?.size) {
      this.write(frame);
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
      if (this.behind()) return;
      this.pendingMetrics.delete(key);
      this.write(frame);
    }
  }

  /** Sends a final `closed` message where the buffer allows, then ends the response. */
  end(reason: string): void {
    if (this.phase === 'closed') return;
    if (this.buffered() < this.maxBufferedBytes) {
      this.write(new WireFrame(messageFrameText({ type: 'closed', reason })));
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
