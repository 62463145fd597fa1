import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ReplayInfo } from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { UsersProjection } from '../auth/users.projection';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { TIME_SERIES_STORE } from '../metrics/metrics.service';
import type { TimeSeriesStore } from '../metrics/tsdb/time-series-store';
import { accessEnds } from '../sse/access-ends';
import type { StreamAccess } from '../sse/stream-access';
import { CheckpointStore } from '../dashboard/checkpoint-store';
import { LogReplaySource } from './log-replay-source';
import { writeReplay, type ReplayOutcome, type ReplayRequest } from './replay-writer';
import { ReplayService } from './replay.service';

interface OpenReplay {
  access: StreamAccess;
  stop: AbortController;
}

/**
 * Replays of the live server's own log and metrics, for GET /api/replay and its
 * markers. Like live streams, a replay ends (with a `closed` message) when its
 * user's rights change, their session signs out, or the server shuts down.
 */
@Injectable()
export class LogReplayService extends ReplayService implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Replay');
  readonly maxWindowMs: number;
  protected readonly source: LogReplaySource;
  /** Aborted at shutdown: every open replay ends with a `closed` message. */
  private readonly shutdown = new AbortController();
  private readonly open = new Set<OpenReplay>();
  private subscription?: Subscription;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(CheckpointStore) checkpoints: CheckpointStore,
    @Inject(TIME_SERIES_STORE) tsdb: TimeSeriesStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(UsersProjection) private readonly users: UsersProjection,
  ) {
    super();
    this.maxWindowMs = config.replay.maxWindowHours * 3_600_000;
    this.source = new LogReplaySource(store, checkpoints, tsdb.sampleReader());
  }

  onModuleInit(): void {
    this.subscription = accessEnds(this.users, this.store.events$).subscribe(({ userId, sessionId, reason }) => {
      for (const replay of this.open) {
        if (replay.access.userId === userId && (sessionId === undefined || replay.access.sessionId === sessionId))
          replay.stop.abort(reason);
      }
    });
  }

  async play(response: ServerResponse, request: ReplayRequest, access: StreamAccess): Promise<ReplayOutcome> {
    const replay: OpenReplay = { access, stop: new AbortController() };
    this.open.add(replay);
    this.enforceUserLimit(access.userId);
    try {
      const outcome = await writeReplay(response, this.source, request, access, {
        source: 'log',
        retryMs: this.config.stream.retryMs,
        heartbeatMs: this.config.stream.heartbeatSeconds * 1000,
        signal: AbortSignal.any([this.shutdown.signal, replay.stop.signal]),
      });
      if (outcome.error) this.logger.error(`replay for ${access.userId} failed: ${outcome.error}`);
      return outcome;
    } finally {
      this.open.delete(replay);
    }
  }

  /** Like live streams: at most auth.maxStreamsPerUser replays per user; one more ends the oldest. */
  private enforceUserLimit(userId: string): void {
    const limit = this.config.auth.maxStreamsPerUser;
    const mine = [...this.open].filter((replay) => replay.access.userId === userId && !replay.stop.signal.aborted);
    for (const oldest of mine.slice(0, Math.max(0, mine.length - limit))) {
      oldest.stop.abort(`too many open replays for this user (limit ${limit}): this, the oldest, was closed`);
    }
  }

  async info(): Promise<ReplayInfo> {
    const now = new Date().toISOString();
    let first: string | undefined;
    for await (const event of this.store.read(1, { toPosition: 1, pageSize: 1 })) first = event.time;
    return { mode: 'live', from: first ?? now, to: now };
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort('server shutting down');
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }
}
