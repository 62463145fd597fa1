import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
  ServiceUnavailableException,
} from '@nestjs/common';
import {
  filterKey,
  metricSourceKey,
  wireEvent,
  type DashboardState,
  type MetricSample,
  type StoredEvent,
  type StreamFilter,
} from '@vigil/shared';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import type { Settings } from '../config/settings';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { OwnMetrics } from '../telemetry/own-metrics';
import { DashboardProjection } from '../dashboard/dashboard.projection';
import { eventFrameText, HEARTBEAT_TEXT, messageFrameText, resetFrameText, retryFrameText, SSE_HEADERS } from '../sse/sse-frames';
import { WireFrame } from '../sse/wire-frame';
import { toErrorBody } from '../web/api-exception.filter';
import { snapshotFor, streamGetsEvent, streamGetsSample, type StreamAccess } from '../sse/stream-access';
import { StreamClient } from './stream-client';
import { WatchRecorder } from './watch-recorder';

/** Clients with equal filters and the same role share one match decision per event. */
interface FilterGroup {
  filter: StreamFilter;
  access: StreamAccess;
  clients: Set<StreamClient>;
  /** The snapshot frame this group's new streams get, while the dashboard state is the one it was made from. */
  snapshot?: { state: DashboardState; frame: WireFrame };
}

const HEARTBEAT = new WireFrame(HEARTBEAT_TEXT);

export interface OpenStreamOptions {
  filter: StreamFilter;
  /** Who is watching: what their role lets them see. */
  access: StreamAccess;
  /** Resume after this position (Last-Event-ID); without it the client gets a snapshot first. */
  lastEventId?: number;
  /** Which route opened it (counted in /metrics): the direct one ahead of Express, or the Nest controller. */
  route?: StreamRoute;
}

export type StreamRoute = 'direct' | 'framework';

function groupKey(filter: StreamFilter, access: StreamAccess): string {
  return `${access.role}|${filterKey(filter)}`;
}

/**
 * The SSE hub: one subscription to committed events, fanned out to every open
 * stream whose filter matches. Each event becomes a frame once; the same Buffer
 * is written to every matching socket.
 */
@Injectable()
export class StreamHub implements OnModuleInit, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('StreamHub');
  private readonly groups = new Map<string, FilterGroup>();
  private readonly clients = new Set<StreamClient>();
  /** Open streams per user, oldest first (a Set keeps insertion order). */
  private readonly byUser = new Map<string, Set<StreamClient>>();
  private subscription?: Subscription;
  private metricsSubscription?: Subscription;
  private heartbeat?: NodeJS.Timeout;
  private nextClientId = 1;
  /** Events committed in this turn, written together at its end (writeUnsent). */
  private unsent: StoredEvent[] = [];
  private shuttingDown = false;
  private readonly watches: WatchRecorder | undefined;
  private readonly retry: WireFrame;

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(DashboardProjection) private readonly dashboard: DashboardProjection,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(OwnMetrics) private readonly own: OwnMetrics,
    @Inject(SETTINGS) settings: Settings,
  ) {
    this.watches = settings.recordStreams ? new WatchRecorder(store, this.logger) : undefined;
    this.retry = new WireFrame(retryFrameText(config.stream.retryMs));
  }

  onModuleInit(): void {
    this.subscription = this.store.events$.subscribe({
      next: (event) => {
        this.broadcast(event);
      },
      error: (error: unknown) => {
        this.logger.error(`event subscription failed: ${String(error)}`);
      },
    });
    this.metricsSubscription = this.metrics.samples$.subscribe((sample) => {
      this.broadcastMetrics(sample);
    });
    this.heartbeat = setInterval(() => {
      this.sendHeartbeat();
    }, this.config.stream.heartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  get activeClients(): number {
    return this.clients.size;
  }

  /**
   * Starts an SSE response: headers, retry hint, then snapshot or catch-up, then
   * live. The headers, the retry hint and the snapshot leave in one socket write.
   */
  open(response: ServerResponse, options: OpenStreamOptions): void {
    if (this.shuttingDown) {
      response.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(toErrorBody(new ServiceUnavailableException({ message: 'server is shutting down' }))));
      return;
    }
    const socket = response.socket;
    socket?.setNoDelay(true);
    socket?.cork();
    try {
      this.start(response, options);
    } finally {
      socket?.uncork();
    }
  }

  private start(response: ServerResponse, options: OpenStreamOptions): void {
    response.statusCode = 200;
    for (const [name, value] of Object.entries(SSE_HEADERS)) response.setHeader(name, value);
    response.flushHeaders();

    // An id beyond the head can never be caught up to: say so and start afresh.
    const head = this.store.position;
    const beyondHead = options.lastEventId !== undefined && options.lastEventId > head;
    const resumeAfter = beyondHead ? undefined : options.lastEventId;
    const start = resumeAfter ?? head;
    const client = new StreamClient(
      this.nextClientId++,
      options.filter,
      options.access,
      response,
      this.config.stream.maxBufferedKiB * 1024,
      start,
      (closed, reason) => {
        this.forget(closed, reason);
      },
    );
    client.sendNow(this.retry);
    this.clients.add(client);
    this.own.streamOpens.inc({ route: options.route ?? 'framework' });
    this.own.setStreamClients(this.clients.size);
    const group = this.join(client);
    this.watches?.opened(client, options.access);
    this.enforceUserLimit(options.access.userId);

    if (resumeAfter === undefined) {
      // Snapshot and go-live happen in the same turn: no event can fall between them.
      if (beyondHead) {
        const snapshot = snapshotFor(this.dashboard.current, options.filter, options.access);
        const reason = `Last-Event-ID ${options.lastEventId} is beyond the log's head (${head}): the log was reset or the id is from another server; this is a fresh snapshot`;
        this.logger.warn(`client ${client.id}: ${reason}`);
        client.sendNow(
          new WireFrame(resetFrameText(snapshot.position, { type: 'snapshot', position: snapshot.position, state: snapshot, reason })),
        );
        client.lastPosition = snapshot.position;
      } else {
        const snapshot = this.snapshotOf(group);
        client.sendNow(snapshot.frame);
        client.lastPosition = snapshot.position;
      }
      client.goLive();
      return;
    }
    this.catchUp(client).catch((error: unknown) => {
      this.logger.warn(`catch-up for client ${client.id} failed: ${String(error)}`);
      client.close('catch-up failed', true);
    });
  }

  /**
   * The snapshot a group's streams start with, built once per dashboard state and
   * shared (the state is immutable: a new one is a new object), so a burst of
   * connections costs one filter and one JSON.stringify, not one per stream.
   */
  private snapshotOf(group: FilterGroup): { position: number; frame: WireFrame } {
    const current = this.dashboard.current;
    if (group.snapshot?.state !== current) {
      const snapshot = snapshotFor(current, group.filter, group.access);
      const frame = new WireFrame(messageFrameText({ type: 'snapshot', position: snapshot.position, state: snapshot }));
      group.snapshot = { state: current, frame };
    }
    return { position: current.position, frame: group.snapshot.frame };
  }

  /**
   * Sends every missed event from the log, paced by the socket, then switches the
   * client to live in the same turn as the final "caught up" check: the log
   * position only moves when a commit publishes, so nothing is missed or repeated.
   */
  private async catchUp(client: StreamClient): Promise<void> {
    while (!client.isClosed()) {
      const target = this.store.position;
      if (client.lastPosition >= target) {
        client.goLive();
        return;
      }
      for await (const event of this.store.read(client.lastPosition + 1, {
        toPosition: target,
        environment: client.filter.environment,
      })) {
        if (client.isClosed()) return;
        if (streamGetsEvent(client.filter, client.access, event)) await client.sendPaced(new WireFrame(eventFrameText(wireEvent(event))));
        client.lastPosition = event.position;
      }
      client.lastPosition = Math.max(client.lastPosition, target);
    }
  }

  /**
   * Committed events are not written one by one: those published in one turn (a
   * group commit publishes several) are written after it, once per socket, as one
   * chunk. When the server falls behind, commits grow, and so does each write, so
   * the cost per event falls exactly when it has to.
   */
  private broadcast(event: StoredEvent): void {
    if (this.clients.size === 0) return;
    if (this.unsent.push(event) > 1) return;
    queueMicrotask(() => {
      try {
        this.writeUnsent();
      } catch (error) {
        this.logger.error(`fan-out failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    });
  }

  private writeUnsent(): void {
    const events = this.unsent;
    this.unsent = [];
    const texts = new Map<StoredEvent, string>();
    const textOf = (event: StoredEvent): string => {
      let text = texts.get(event);
      if (text === undefined) {
        text = eventFrameText(wireEvent(event));
        texts.set(event, text);
      }
      return text;
    };
    const frameOf = (list: readonly StoredEvent[]): WireFrame =>
      new WireFrame(list.length === 1 ? textOf(list[0]) : list.map(textOf).join(''));
    for (const group of this.groups.values()) {
      const matching = events.filter((event) => streamGetsEvent(group.filter, group.access, event));
      if (matching.length === 0) continue;
      const first = matching[0].position;
      const last = matching[matching.length - 1].position;
      // All of `matching`, for every client that has none of them yet (nearly all).
      let whole: WireFrame | undefined;
      for (const client of group.clients) {
        if (client.phase !== 'live' || last <= client.lastPosition) continue;
        const frame =
          first > client.lastPosition
            ? (whole ??= frameOf(matching))
            : frameOf(matching.filter((event) => event.position > client.lastPosition));
        client.lastPosition = last;
        client.sendLive(frame);
      }
    }
  }

  /** A metrics message: one frame per sample, coalesced per source for clients that are behind. */
  private broadcastMetrics(sample: MetricSample): void {
    if (this.clients.size === 0) return;
    let frame: WireFrame | undefined;
    const key = metricSourceKey(sample);
    for (const group of this.groups.values()) {
      if (!streamGetsSample(group.filter, group.access, sample)) continue;
      frame ??= new WireFrame(messageFrameText({ type: 'metrics', ...sample }));
      for (const client of group.clients) client.sendMetrics(key, frame);
    }
  }

  private sendHeartbeat(): void {
    for (const client of this.clients) client.sendLive(HEARTBEAT);
  }

  private join(client: StreamClient): FilterGroup {
    const key = groupKey(client.filter, client.access);
    let group = this.groups.get(key);
    if (!group) {
      group = { filter: client.filter, access: client.access, clients: new Set() };
      this.groups.set(key, group);
    }
    group.clients.add(client);
    let mine = this.byUser.get(client.access.userId);
    if (!mine) {
      mine = new Set();
      this.byUser.set(client.access.userId, mine);
    }
    mine.add(client);
    return group;
  }

  /** At most N open streams per user: one more closes the oldest, saying why. */
  private enforceUserLimit(userId: string): void {
    const mine = this.byUser.get(userId);
    const limit = this.config.auth.maxStreamsPerUser;
    // Only the oldest few are looked at (and copied): opening a stream stays O(1) per stream.
    const excess = (mine?.size ?? 0) - limit;
    if (!mine || excess <= 0) return;
    const oldest: StreamClient[] = [];
    for (const client of mine) {
      if (oldest.length === excess) break;
      oldest.push(client);
    }
    for (const client of oldest) client.end(`too many open streams for this user (limit ${limit}): this, the oldest, was closed`);
  }

  /** Ends the streams opened with one session (token), e.g. on logout. */
  closeSessionStreams(userId: string, sessionId: string, reason: string): number {
    const mine = [...(this.byUser.get(userId) ?? [])].filter((client) => client.access.sessionId === sessionId);
    for (const client of mine) client.end(reason);
    return mine.length;
  }

  /** Ends a user's streams, e.g. when they are disabled or their role changes. */
  closeStreamsOf(userId: string, reason: string): number {
    const mine = [...(this.byUser.get(userId) ?? [])];
    for (const client of mine) client.end(reason);
    return mine.length;
  }

  private forget(client: StreamClient, reason: string): void {
    if (!this.clients.delete(client)) return;
    this.watches?.closed(client, client.access);
    this.own.setStreamClients(this.clients.size);
    if (reason.startsWith('slow client')) {
      this.own.slowClientDisconnects.inc();
      this.logger.warn(`client ${client.id} disconnected: ${reason}`);
    }
    const key = groupKey(client.filter, client.access);
    const group = this.groups.get(key);
    if (group) {
      group.clients.delete(client);
      if (group.clients.size === 0) this.groups.delete(key);
    }
    const mine = this.byUser.get(client.access.userId);
    if (mine) {
      mine.delete(client);
      if (mine.size === 0) this.byUser.delete(client.access.userId);
    }
  }

  /** Ends every stream before the HTTP server stops waiting for open connections. */
  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
    for (const client of [...this.clients]) client.end('server shutting down');
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    this.metricsSubscription?.unsubscribe();
    if (this.heartbeat) clearInterval(this.heartbeat);
  }
}
