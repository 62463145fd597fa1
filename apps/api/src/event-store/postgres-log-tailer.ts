import { Logger } from '@nestjs/common';
import pg from 'pg';
import { EVENTS_CHANNEL } from './postgres-append';

export interface LogTailerOptions {
  clientConfig: pg.ClientConfig;
  /**
   * Told of every head position heard of: after each (re)connection once LISTEN
   * is in place (read from your own head now), then per notification and poll.
   */
  onHead: (position: number) => void;
  pollMs?: number;
  /** First reconnect delay; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const HEAD_POSITION = 'SELECT position FROM event_log_head WHERE id = 1';

/**
 * Follows the log's head on a dedicated connection (never a pooled one, which
 * would drop its LISTEN when returned): LISTEN first, then report the head,
 * then every notification; a poll each second is the safety net for a
 * notification lost and also proves the connection alive. When the connection
 * fails or is terminated it reconnects with backoff and starts over with LISTEN,
 * so nothing committed while it was away is missed: the caller reads from its
 * own head on the onHead that follows each connection.
 */
export class PostgresLogTailer {
  private readonly logger = new Logger('EventStore');
  private client?: pg.Client;
  private pollTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private stopped = false;
  private backoff: number;
  private polling = false;
  /** Connections made so far (1 after start); tests and health read it. */
  connections = 0;

  constructor(private readonly options: LogTailerOptions) {
    this.backoff = options.backoffMs ?? 250;
  }

  /** The first connection: its failure is the caller's (the store does not open). */
  async start(): Promise<void> {
    await this.connect();
    this.pollTimer = setInterval(() => {
      void this.poll();
    }, this.options.pollMs ?? 1000);
    this.pollTimer.unref();
  }

  /** The backend pid of the listening connection (for pg_terminate_backend in tests). */
  get backendPid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.options.clientConfig);
    client.on('notification', (message) => {
      // Until the head is read on this connection, the head read covers what is notified.
      if (this.client !== client || message.channel !== EVENTS_CHANNEL) return;
      const position = Number(message.payload);
      if (Number.isSafeInteger(position)) this.options.onHead(position);
    });
    client.on('error', (error) => {
      this.lost(client, error);
    });
    client.on('end', () => {
      this.lost(client, new Error('connection ended'));
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      const head = await client.query<{ position: string }>(HEAD_POSITION);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.connections += 1;
      this.backoff = this.options.backoffMs ?? 250;
      if (head.rows[0]) this.options.onHead(Number(head.rows[0].position));
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private async poll(): Promise<void> {
    const client = this.client;
    if (!client || this.polling || this.stopped) return;
    this.polling = true;
    try {
      const head = await client.query<{ position: string }>(HEAD_POSITION);
      if (head.rows[0]) this.options.onHead(Number(head.rows[0].position));
    } catch (error) {
      this.lost(client, error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.polling = false;
    }
  }

  /** The listening connection failed: drop it and reconnect after the backoff. */
  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    this.logger.warn(`log listener connection lost (${error.message}); reconnecting in ${this.backoff} ms`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.options.maxBackoffMs ?? 5000);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => {
          if (!this.stopped) this.logger.log('log listener reconnected');
        },
        (error: unknown) => {
          this.logger.warn(`log listener could not reconnect: ${error instanceof Error ? error.message : String(error)}`);
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
