import {
  wireEvent,
  type ReplayEndMessage,
  type ReplaySpeed,
  type ReplayStartMessage,
  type SnapshotMessage,
  type StreamFilter,
} from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { eventFrame, HEARTBEAT_FRAME, messageFrame, retryFrame, SSE_HEADERS } from '../sse/sse-frames';
import { snapshotFor, streamGetsEvent, streamGetsSample, type StreamAccess } from '../sse/stream-access';
import type { ReplaySource } from './replay-source';

/** A parsed replay request: the window, the pace and the stream filters. */
export interface ReplayRequest {
  from: Date;
  to: Date;
  /** Original gaps are divided by this; `max` sends as fast as the socket takes it. */
  speed: ReplaySpeed;
  filter: StreamFilter;
}

export interface ReplayWriterOptions {
  /** Said in `replay.start`: the live log or an incident bundle. */
  source: 'log' | 'bundle';
  /** The SSE `retry:` hint. */
  retryMs?: number;
  /** A comment line goes out after this long without a write (long gaps at low speed). */
  heartbeatMs?: number;
  /** Aborting ends the replay with a `closed` message giving the abort's reason (a string), e.g. a shutdown. */
  signal?: AbortSignal;
}

export interface ReplayOutcome {
  /** True when `replay.end` was sent; false when the client left or the replay was aborted or failed. */
  completed: boolean;
  events: number;
  samples: number;
  /** Why it did not complete. */
  reason?: string;
  /** The error that ended it, for the server's log (never sent to the client). */
  error?: string;
}

/**
 * What every replay in this process holds right now: open replays and pending
 * pacing timers. Both go back to 0 when replays end or their clients leave
 * (/api/health reports them; the tests check it).
 */
export const replayResources = { open: 0, timers: 0 };

const DEFAULT_HEARTBEAT_MS = 15_000;
/** At speed=max frames go out in socket writes of up to this many. */
const FRAMES_PER_WRITE = 64;

function abortReason(signal: AbortSignal | undefined): string {
  return typeof signal?.reason === 'string' ? signal.reason : 'server shutting down';
}

/**
 * One replay on one response: the waits it may be in (a pacing timer or a drain)
 * and the listeners it added, all released by dispose().
 */
class ReplaySession {
  closedBy?: string;
  private wakeTimer?: () => void;
  private wakeDrain?: () => void;
  private lastWriteAt = performance.now();
  private corkedFrames = 0;
  private readonly onClose = (): void => {
    this.close('client disconnected');
  };
  private readonly onDrain = (): void => this.wakeDrain?.();
  private readonly onAbort = (): void => {
    this.close(abortReason(this.signal));
  };

  constructor(
    private readonly response: ServerResponse,
    private readonly signal: AbortSignal | undefined,
  ) {
    response.on('close', this.onClose);
    response.on('drain', this.onDrain);
    signal?.addEventListener('abort', this.onAbort);
    if (signal?.aborted) this.close(abortReason(signal));
  }

  /** A method, not a getter: it changes while the writer awaits, so it must be asked again each time. */
  isClosed(): boolean {
    return this.closedBy !== undefined;
  }

  close(reason: string): void {
    if (this.closedBy) return;
    this.closedBy = reason;
    this.wakeTimer?.();
    this.wakeDrain?.();
  }

  /**
   * Writes a frame. Frames are corked into one socket write per burst (up to
   * FRAMES_PER_WRITE) instead of one each; returns a promise only when the socket is
   * full, to be awaited before the next write.
   */
  write(frame: Buffer): Promise<void> | undefined {
    if (this.isClosed()) return undefined;
    this.lastWriteAt = performance.now();
    if (this.corkedFrames === 0) this.response.cork();
    this.corkedFrames += 1;
    const roomLeft = this.response.write(frame);
    if (this.corkedFrames >= FRAMES_PER_WRITE) this.flush();
    if (roomLeft) return undefined;
    this.flush();
    return new Promise<void>((resolve) => {
      this.wakeDrain = () => {
        this.wakeDrain = undefined;
        resolve();
      };
    });
  }

  /** Sends what is corked. */
  flush(): void {
    if (this.corkedFrames === 0) return;
    this.corkedFrames = 0;
    this.response.uncork();
  }

  /** Waits until `due` (performance.now() time), sending heartbeats through long gaps. */
  async waitUntil(due: number, heartbeatMs: number): Promise<void> {
    for (;;) {
      if (this.isClosed()) return;
      const now = performance.now();
      if (due - now <= 0) return;
      // Whatever waits is sent before the pause.
      this.flush();
      const untilHeartbeat = this.lastWriteAt + heartbeatMs - now;
      if (untilHeartbeat <= 0) {
        await this.write(HEARTBEAT_FRAME);
        continue;
      }
      await this.sleep(Math.min(due - now, untilHeartbeat));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        this.wakeTimer = undefined;
        replayResources.timers -= 1;
        resolve();
      };
      const timer = setTimeout(done, ms);
      replayResources.timers += 1;
      this.wakeTimer = () => {
        clearTimeout(timer);
        done();
      };
    });
  }

  dispose(): void {
    this.response.off('close', this.onClose);
    this.response.off('drain', this.onDrain);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}

/**
 * Writes one replay as SSE on a plain node response (so the live server and the
 * review server share it): `replay.start`, the `snapshot` at `from`, every item of
 * the window the viewer may see (events with their `id:`, `metrics` without),
 * paced at the original gaps divided by `speed`, `replay.end`, then the end of the
 * response. Resolves when it is done or the client has gone; either way nothing it
 * started (timers, the source's iterator, listeners) is left behind.
 */
export async function writeReplay(
  response: ServerResponse,
  source: ReplaySource,
  request: ReplayRequest,
  access: StreamAccess,
  options: ReplayWriterOptions,
): Promise<ReplayOutcome> {
  const session = new ReplaySession(response, options.signal);
  const outcome: ReplayOutcome = { completed: false, events: 0, samples: 0 };
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  replayResources.open += 1;
  try {
    // The snapshot first: if it fails, the client gets a plain 500, not a broken stream.
    const { position, state } = await source.snapshotAt(request.from);
    response.writeHead(200, SSE_HEADERS);
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    // Small frames before the snapshot: the snapshot's write waits for the socket for all of them.
    if (options.retryMs !== undefined) void session.write(retryFrame(options.retryMs));
    const start: ReplayStartMessage = {
      type: 'replay.start',
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      speed: request.speed,
      source: options.source,
    };
    void session.write(messageFrame(start));

    const snapshot: SnapshotMessage = { type: 'snapshot', position, state: snapshotFor(state, request.filter, access) };
    await session.write(messageFrame(snapshot));
    session.flush();

    // The replay clock: an item at time t is due (t − from) / speed after the snapshot.
    const startedAt = performance.now();
    const fromMs = request.from.getTime();
    const speed = request.speed;
    const dueAt = (time: number): number => (speed === 'max' ? 0 : startedAt + (time - fromMs) / speed);

    const paced = request.speed !== 'max';
    for await (const item of source.items(request.from, request.to)) {
      if (session.isClosed()) break;
      let frame: Buffer;
      if (item.kind === 'event') {
        if (!streamGetsEvent(request.filter, access, item.event)) continue;
        if (paced) await session.waitUntil(dueAt(Date.parse(item.event.time)), heartbeatMs);
        frame = eventFrame(wireEvent(item.event));
      } else {
        if (!streamGetsSample(request.filter, access, item.sample)) continue;
        if (paced) await session.waitUntil(dueAt(Date.parse(item.sample.time)), heartbeatMs);
        frame = messageFrame({ type: 'metrics', ...item.sample });
      }
      if (session.isClosed()) break;
      const full = session.write(frame);
      // Paced items go out one by one, on time; at max they are batched.
      if (paced) session.flush();
      if (item.kind === 'event') outcome.events += 1;
      else outcome.samples += 1;
      if (full) await full;
    }
    session.flush();
    await session.waitUntil(dueAt(request.to.getTime()), heartbeatMs);
    if (!session.isClosed()) {
      const end: ReplayEndMessage = { type: 'replay.end', events: outcome.events, samples: outcome.samples };
      // The last frame: flushed and ended right away, nothing more to wait for.
      void session.write(messageFrame(end));
      session.flush();
      outcome.completed = true;
      response.end();
      return outcome;
    }
  } catch (error) {
    outcome.error = error instanceof Error ? error.message : String(error);
    session.close('replay failed');
  } finally {
    session.dispose();
    replayResources.open -= 1;
  }
  outcome.reason = session.closedBy;
  endClosed(response, outcome.reason ?? 'closed');
  return outcome;
}

/** Ends a replay that did not complete: a `closed` message if the client is still there, then the end. */
function endClosed(response: ServerResponse, reason: string): void {
  if (response.destroyed || response.writableEnded) return;
  if (!response.headersSent) {
    response.writeHead(500, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'replay failed' }));
    return;
  }
  response.end(messageFrame({ type: 'closed', reason }));
}
