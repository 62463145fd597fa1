import { Logger } from '@nestjs/common';
import pg from 'pg';
import { Subject, filter, map, type Observable } from 'rxjs';

/** PostgreSQL's limit on a NOTIFY payload is 8000 bytes. */
export const MAX_NOTIFY_BYTES = 7_900;

/**
 * LISTEN/NOTIFY between nodes for live-only messages (e.g. metric samples): one
 * dedicated connection listens to every channel asked for and reconnects with
 * backoff; sends go through the pool. What is sent while a listener is away is lost,
 * which is fine for what goes here (nothing durable: the log has its own tailer).
 */
export class PgMessageBus {
  private readonly logger = new Logger('ClusterBus');
  private readonly incoming = new Subject<{ channel: string; payload: string }>();
  private readonly channels = new Set<string>();
  private client?: pg.Client;
  private closed = false;
  private backoffMs = 250;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly connection: () => pg.ClientConfig,
    private readonly pool: pg.Pool,
  ) {}

  start(): Promise<void> {
    return this.connect();
  }

  messages$(channel: string): Observable<string> {
    if (!this.channels.has(channel)) {
      this.channels.add(channel);
      this.client?.query(`LISTEN ${quoteChannel(channel)}`).catch(() => undefined);
    }
    return this.incoming.pipe(
      filter((message) => message.channel === channel),
      map((message) => message.payload),
    );
  }

  send(channel: string, payload: string): void {
    if (this.closed) return;
    if (Buffer.byteLength(payload) > MAX_NOTIFY_BYTES) {
      this.logger.warn(`message on ${channel} dropped: over ${MAX_NOTIFY_BYTES} bytes`);
      return;
    }
    this.pool.query('SELECT pg_notify($1, $2)', [channel, payload]).catch((error: unknown) => {
      this.logger.warn(`could not send on ${channel}: ${String(error)}`);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.incoming.complete();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ ...this.connection(), keepAlive: true });
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.incoming.next({ channel: message.channel, payload: message.payload });
    });
    const lost = (reason: string): void => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners('notification');
      client.end().catch(() => undefined);
      if (!this.closed) this.logger.warn(`listening connection lost (${reason}); reconnecting`);
      this.scheduleReconnect();
    };
    client.on('error', (error) => {
      lost(error.message);
    });
    client.on('end', () => {
      lost('closed');
    });
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`LISTEN ${quoteChannel(channel)}`);
      this.client = client;
      this.backoffMs = 250;
    } catch (error) {
      client.end().catch(() => undefined);
      if (!this.closed) {
        this.logger.warn(`could not listen: ${String(error)}`);
        this.scheduleReconnect();
      }
    }
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}

function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel name ${channel}`);
  return channel;
}
