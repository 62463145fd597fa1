import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import {
  environmentMatches,
  filterKey,
  matchesFilter,
  metricSourceKey,
  typeMatches,
  type MetricSample,
  type StoredEvent,
  type StreamFilter,
} from '@vigil/shared';
import type { Response } from 'express';
import type { Subscription } from 'rxjs';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { MetricsService } from '../metrics/metrics.service';
import { OwnMetrics } from '../telemetry/own-metrics';
import { DashboardProjection } from './dashboard.projection';
import { eventFrame, HEARTBEAT_FRAME, messageFrame, retryFrame } from './sse-frames';
import { StreamClient } from './stream-client';

/** Clients with equal filters share one match decision per event. */
interface FilterGroup {
  filter: StreamFilter;
  clients: Set<StreamClient>;
}

export interface OpenStreamOptions {
  filter: StreamFilter;
  /** Resume after this position (Last-Event-ID); without it the client gets a snapshot first. */
  lastEventId?: number;
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
  private subscription?: Subscription;
  private metricsSubscription?: Subscription;
  private heartbeat?: NodeJS.Timeout;
  private nextClientId = 1;
  private shuttingDown = false;
  /** Counters for health and /metrics. */
  readonly stats = { opened: 0, closed: 0, slowDisconnects: 0, framesBuilt: 0 };

  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(DashboardProjection) private readonly dashboard: DashboardProjection,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(OwnMetrics) private readonly own: OwnMetrics,
  ) {}

  onModuleInit(): void {
    this.subscription = this.store.events$.subscribe({
      next: (event) => this.broadcast(event),
      error: (error: unknown) => this.logger.error(`event subscription failed: ${String(error)}`),
    });
    this.metricsSubscription = this.metrics.samples$.subscribe((sample) => this.broadcastMetrics(sample));
    this.heartbeat = setInterval(() => this.sendHeartbeat(), this.config.stream.heartbeatSeconds * 1000);
    this.heartbeat.unref();
  }

  get activeClients(): number {
    return this.clients.size;
  }

  /** Starts an SSE response: headers, retry hint, then snapshot or catch-up, then live. */
  open(response: Response, options: OpenStreamOptions): void {
    if (this.shuttingDown) {
      response.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: 'server is shutting down' });
      return;
    }
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    response.write(retryFrame(this.config.stream.retryMs));

    const start = options.lastEventId ?? this.store.position;
    const client = new StreamClient(
      this.nextClientId++,
      options.filter,
      response,
      this.config.stream.maxBufferedKiB * 1024,
      start,
      (closed, reason) => this.forget(closed, reason),
    );
    this.clients.add(client);
    this.stats.opened += 1;
    this.own.setStreamClients(this.clients.size);
    this.join(client);

    if (options.lastEventId === undefined) {
      // Snapshot and go-live happen in the same turn: no event can fall between them.
      const snapshot = this.dashboard.snapshotFor(options.filter);
      response.write(messageFrame({ type: 'snapshot', position: snapshot.position, state: snapshot }));
      client.lastPosition = snapshot.position;
      client.goLive();
      return;
    }
    this.catchUp(client).catch((error: unknown) => {
      this.logger.warn(`catch-up for client ${client.id} failed: ${String(error)}`);
      client.close('catch-up failed', true);
    });
  }

  /**
   * Sends every missed event from the log, paced by the socket, then switches the
   * client to live in the same turn as the final "caught up" check: the log
   * position only moves when a commit publishes, so nothing is missed or repeated.
   */
  private async catchUp(client: StreamClient): Promise<void> {
    while (!client.closed) {
      const target = this.store.position;
      if (client.lastPosition >= target) {
        client.goLive();
        return;
      }
      for await (const event of this.store.read(client.lastPosition + 1, {
        toPosition: target,
        environment: client.filter.environment,
      })) {
        if (client.closed) return;
        if (matchesFilter(event, client.filter)) await client.sendPaced(eventFrame(event));
        client.lastPosition = event.position;
      }
      client.lastPosition = Math.max(client.lastPosition, target);
    }
  }

  private broadcast(event: StoredEvent): void {
    if (this.clients.size === 0) return;
    let frame: Buffer | undefined;
    for (const group of this.groups.values()) {
      if (!matchesFilter(event, group.filter)) continue;
      for (const client of group.clients) {
        if (client.phase !== 'live') continue;
        if (event.position <= client.lastPosition) continue;
        if (!frame) {
          frame = eventFrame(event);
          this.stats.framesBuilt += 1;
        }
        client.lastPosition = event.position;
        client.sendLive(frame);
      }
    }
    // Live clients not matching the event still advance past it.
  }

  /** A metrics message: one frame per sample, coalesced per source for clients that are behind. */
  private broadcastMetrics(sample: MetricSample): void {
    if (this.clients.size === 0) return;
    let frame: Buffer | undefined;
    const key = metricSourceKey(sample);
    for (const group of this.groups.values()) {
      if (!typeMatches('metrics', group.filter.types) || !environmentMatches(sample.environment, group.filter.environment)) continue;
      frame ??= messageFrame({ type: 'metrics', ...sample });
      for (const client of group.clients) client.sendMetrics(key, frame);
    }
  }

  private sendHeartbeat(): void {
    for (const client of this.clients) client.sendLive(HEARTBEAT_FRAME);
  }

  private join(client: StreamClient): void {
    const key = filterKey(client.filter);
    let group = this.groups.get(key);
    if (!group) {
      group = { filter: client.filter, clients: new Set() };
      this.groups.set(key, group);
    }
    group.clients.add(client);
  }

  private forget(client: StreamClient, reason: string): void {
    if (!this.clients.delete(client)) return;
    this.stats.closed += 1;
    this.own.setStreamClients(this.clients.size);
    if (reason.startsWith('slow client')) {
      this.stats.slowDisconnects += 1;
      this.own.slowClientDisconnects.inc();
      this.logger.warn(`client ${client.id} disconnected: ${reason}`);
    }
    const key = filterKey(client.filter);
    const group = this.groups.get(key);
    if (group) {
      group.clients.delete(client);
      if (group.clients.size === 0) this.groups.delete(key);
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
