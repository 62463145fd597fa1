import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { ConfigError } from '../config/load-config';
import { Cluster, type ClusterNode } from './cluster';
import { CLAIM_NAME, ensureClusterSchema, HEARTBEAT, LEADER_LOCK, LIST_NODES, LOCK_CLASS, type NodeRow } from './cluster-schema';
import { PgMessageBus } from './pg-message-bus';

export interface PgClusterOptions {
  /** Settings for a dedicated connection (never pooled), with this application_name. */
  connection: (applicationName: string) => pg.ClientConfig;
  nodeName: string;
  /** Heartbeat and lease attempt period (default 1 s). */
  heartbeatMs?: number;
  /** A node whose heartbeat is older than this is dead (default 5 s). */
  deadAfterMs?: number;
  /** A lease-session query slower than this counts as a lost session (default 1.5 s). */
  queryTimeoutMs?: number;
}

/**
 * The cluster on PostgreSQL. Each node holds one dedicated connection, its lease
 * session (never pooled): it heartbeats the node's row every `heartbeatMs`, and
 * tries `pg_try_advisory_lock` until it holds the leader lock; the lock lives as long
 * as that session does.
 *
 * Ordering on failure: the session is opened with `idle_session_timeout` set to
 * `deadAfterMs`, so the server drops an unresponsive leader's session (and so its
 * lock) only after that long, while the leader itself gives the lease up (emits
 * `false`, stopping leader-only work) as soon as one heartbeat on that session fails
 * or takes longer than `queryTimeoutMs`: heartbeatMs + queryTimeoutMs < deadAfterMs.
 * On `kill -9` the server sees the socket close and frees the lock at once.
 */
export class PgCluster extends Cluster {
  readonly clustered = true;
  private readonly logger = new Logger('Cluster');
  private readonly leader = new BehaviorSubject(false);
  readonly leader$: Observable<boolean> = this.leader.pipe(distinctUntilChanged());
  private readonly instanceId = randomUUID();
  private readonly heartbeatMs: number;
  private readonly deadAfterMs: number;
  private readonly queryTimeoutMs: number;
  private readonly bus: PgMessageBus;
  private session?: pg.Client;
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private closed = false;
  private known: ClusterNode[] = [];
  private reconnectDelayMs = 250;

  private constructor(
    private readonly options: PgClusterOptions,
    private readonly pool: pg.Pool,
  ) {
    super();
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.deadAfterMs = options.deadAfterMs ?? 5_000;
    this.queryTimeoutMs = options.queryTimeoutMs ?? 1_500;
    this.bus = new PgMessageBus(() => options.connection(`vigil-bus-${options.nodeName}`), pool);
  }

  get nodeName(): string {
    return this.options.nodeName;
  }

  /** Registers the node (refusing a name a live node holds), opens the lease session, starts the heartbeat. */
  static async start(options: PgClusterOptions, pool: pg.Pool): Promise<PgCluster> {
    const cluster = new PgCluster(options, pool);
    await ensureClusterSchema(pool);
    await cluster.claimName();
    await cluster.openSession();
    await cluster.tick();
    await cluster.bus.start();
    cluster.timer = setInterval(() => void cluster.tick(), cluster.heartbeatMs);
    cluster.timer.unref();
    return cluster;
  }

  isLeader(): boolean {
    return this.leader.value;
  }

  nodes(): ClusterNode[] {
    return this.known;
  }

  async sharedSecret(name: string, create: () => string): Promise<string> {
    // The first node to insert wins; everyone then reads the same row.
    await this.pool.query('INSERT INTO vigil_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, create()]);
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM vigil_secrets WHERE name = $1', [name]);
    return rows[0].value;
  }

  broadcast(channel: string, payload: string): void {
    this.bus.send(channel, payload);
  }

  messages$(channel: string): Observable<string> {
    return this.bus.messages$(channel);
  }

  /** Gives the lease up and marks the node stopped, so its name can be reused at once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.leader.next(false);
    const session = this.session;
    this.session = undefined;
    await this.pool
      .query('UPDATE vigil_nodes SET stopped = true WHERE name = $1 AND instance_id = $2', [this.nodeName, this.instanceId])
      .catch(() => undefined);
    await session?.end().catch(() => undefined);
    await this.bus.close();
    this.leader.complete();
  }

  // ---------------------------------------------------------------- internals

  /** Takes the name, waiting out a crashed predecessor's heartbeats; refuses if they keep coming. */
  private async claimName(): Promise<void> {
    const deadline = Date.now() + this.deadAfterMs + 2 * this.heartbeatMs;
    let firstSeen: number | undefined;
    for (;;) {
      const claimed = await this.pool.query(CLAIM_NAME, [this.nodeName, this.instanceId, this.deadAfterMs / 1000]);
      if (claimed.rowCount === 1) return;
      const { rows } = await this.pool.query<{ last_seen_at: Date }>('SELECT last_seen_at FROM vigil_nodes WHERE name = $1', [
        this.nodeName,
      ]);
      const seen = rows.at(0)?.last_seen_at.getTime();
      if (firstSeen === undefined) this.logger.warn(`node name "${this.nodeName}" was in use recently; waiting for its heartbeat to lapse`);
      firstSeen ??= seen;
      if ((seen !== undefined && firstSeen !== undefined && seen > firstSeen) || Date.now() > deadline) {
        throw new ConfigError(
          `another live Vigil node is already named "${this.nodeName}" (heartbeat at ${new Date(seen ?? 0).toISOString()}): ` +
            'give each node its own VIGIL_NODE_NAME',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.heartbeatMs));
    }
  }

  private async openSession(): Promise<void> {
    const session = new pg.Client({
      ...this.options.connection(`vigil-lease-${this.nodeName}`),
      keepAlive: true,
      query_timeout: this.queryTimeoutMs,
    });
    const lost = (reason: string): void => {
      this.sessionLost(session, reason);
    };
    session.on('error', (error) => {
      lost(error.message);
    });
    session.on('end', () => {
      lost('connection closed');
    });
    await session.connect();
    // The server drops this session (and the lock) if the node stops talking for deadAfterMs.
    await session.query(`SET idle_session_timeout = ${Math.round(this.deadAfterMs)}`);
    this.session = session;
  }

  /** Stops leader-only work first, then drops the session and reconnects with backoff. */
  private sessionLost(session: pg.Client, reason: string): void {
    if (this.session !== session) return;
    this.session = undefined;
    if (this.leader.value) this.logger.warn(`lease session lost (${reason}): leader-only work stopped`);
    else if (!this.closed) this.logger.warn(`lease session lost (${reason})`);
    this.leader.next(false);
    session.removeAllListeners('end');
    session.end().catch(() => undefined);
    this.reconnect();
  }

  private reconnect(): void {
    if (this.closed) return;
    const delay = this.reconnectDelayMs;
    this.reconnectDelayMs = Math.min(delay * 2, 5_000);
    setTimeout(() => {
      if (this.closed) return;
      this.openSession().then(
        () => {
          this.reconnectDelayMs = 250;
        },
        (error: unknown) => {
          this.logger.warn(`could not reopen the lease session: ${String(error)}`);
          this.reconnect();
        },
      );
    }, delay).unref();
  }

  /** One heartbeat: the node's row, the lease if not held yet, the node list. */
  private async tick(): Promise<void> {
    const session = this.session;
    if (this.ticking || this.closed || !session) return;
    this.ticking = true;
    try {
      const beat = await session.query(HEARTBEAT, [this.nodeName, this.instanceId]);
      if (beat.rowCount !== 1) {
        this.leader.next(false);
        this.logger.error(`another instance took over the node name "${this.nodeName}": this one stops`);
        process.kill(process.pid, 'SIGTERM');
        return;
      }
      if (!this.leader.value) {
        const { rows } = await session.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS got', [LOCK_CLASS, LEADER_LOCK]);
        if (rows[0].got && this.session === session) {
          this.logger.log(`node ${this.nodeName} holds the leader lease`);
          this.leader.next(true);
        }
      }
      const { rows } = await session.query<NodeRow>(LIST_NODES, [this.deadAfterMs / 1000]);
      this.known = rows.map((row) => ({
        name: row.name,
        leader: row.leader && row.alive,
        alive: row.alive,
        lastSeenAt: row.last_seen_at.toISOString(),
      }));
    } catch (error) {
      this.sessionLost(session, error instanceof Error ? error.message : String(error));
    } finally {
      this.ticking = false;
    }
  }
}
