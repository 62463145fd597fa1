import { Logger } from '@nestjs/common';
import { type EventMeta, type NewEvent, type StoredEvent } from '@vigil/shared';
import type pg from 'pg';
import { Subject, type Observable } from 'rxjs';
import type { PostgresDatabaseSettings } from '../database/database-settings';
import { createPgPool, endPool, pgClientConfig } from '../database/pg-pool';
import { runPostgresMigrations } from '../database/postgres-migrations';
import { ChainCheck } from './chain-check';
import { CommitSequencer } from './commit-sequencer';
import {
  EventStore,
  EventStoreClosedError,
  type AppendOptions,
  type ExpectedVersion,
  type ReadFilter,
  type VerifyResult,
} from './event-store';
import { CreatePostgresEventLog1796342400001 } from './migrations/1796342400001-create-postgres-event-log';
import { writeBatch, type AppendRequest } from './postgres-append';
import { PG_COLUMNS, pgRawRow, pgRowToEvent, type PgRawRow } from './postgres-event-rows';
import { PostgresLogTailer } from './postgres-log-tailer';
import { queuedAppend } from './queued-append';

interface PendingAppend {
  request: AppendRequest;
  resolve: (events: StoredEvent[]) => void;
  reject: (error: Error) => void;
}

export interface PostgresEventStoreOptions {
  settings: PostgresDatabaseSettings;
  /** A pool to share (the app's PG_POOL); without one the store opens its own and ends it on close. */
  pool?: pg.Pool;
  /** The safety-net poll of the head (default 1000 ms). */
  pollMs?: number;
}

/** Appends written per transaction at most; the rest go in the next one. */
const MAX_BATCH = 2000;
/** Rows per read when catching up with other nodes' commits. */
const CATCH_UP_PAGE = 1000;
/** The tailer's queries (LISTEN, the head poll) answer within this or its connection is replaced. */
const TAILER_QUERY_TIMEOUT_MS = 5000;
/** How long close() waits for its own last commits to be published. */
const CLOSE_PUBLISH_WAIT_MS = 5000;

/**
 * The event log in PostgreSQL, shared by every node of a cluster. Appends queued
 * in one turn go into one transaction (group commit) serialised by the head row
 * (see postgres-append.ts). `events$` publishes every node's commits once, in
 * position order: this node's own commits straight after COMMIT when they
 * continue what was published, other positions read back from the table when
 * the tailer hears of a new head (NOTIFY, or its poll). Own commits behind a gap
 * wait for that read (CommitSequencer), and their appends settle only once
 * published, so callers see their events on events$ by the time they resume.
 */
export class PostgresEventStore extends EventStore {
  private readonly logger = new Logger('EventStore');
  private readonly subject = new Subject<StoredEvent>();
  readonly events$: Observable<StoredEvent> = this.subject.asObservable();

  private sequencer!: CommitSequencer;
  private tailer!: PostgresLogTailer;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** Set while only appends that may wait are queued (AppendOptions.maxDelayMs). */
  private delayedFlush?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closing = false;
  private closed?: Promise<void>;
  private listening = false;
  private heardHead = 0;
  private reading?: Promise<void>;
  private readAgain = false;
  /** Set once close() has published what it could: nothing is read or published after. */
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
  ) {
    super();
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    await runPostgresMigrations(options.settings, [CreatePostgresEventLog1796342400001]);
    const pool = options.pool ?? createPgPool(options.settings, 'vigil-event-store');
    const store = new PostgresEventStore(pool, options.pool === undefined);
    try {
      await store.start(options);
    } catch (error) {
      if (store.ownsPool) await endPool(pool);
      throw error;
    }
    return store;
  }

  private async start(options: PostgresEventStoreOptions): Promise<void> {
    this.tailer = new PostgresLogTailer({
      // A client-side limit too: a poll that gets no answer (a dead network) counts as a lost connection.
      clientConfig: { ...pgClientConfig(options.settings, 'vigil-log-tailer'), query_timeout: TAILER_QUERY_TIMEOUT_MS },
      pollMs: options.pollMs,
      onHead: (position) => {
        this.heard(position);
      },
    });
    // LISTEN first, then the head: events$ publishes what commits after it.
    await this.tailer.start();
  }

  /** Backend pid of the tailer's LISTEN connection (tests terminate it). */
  get listenerPid(): number | undefined {
    return this.tailer.backendPid;
  }

  get position(): number {
    return this.sequencer.position;
  }

  private heard(position: number): void {
    if (!this.listening) {
      // The first head, heard right after the first LISTEN: publishing starts after it.
      this.listening = true;
      this.sequencer = new CommitSequencer(position, (event) => {
        this.subject.next(event);
      });
      this.heardHead = position;
      return;
    }
    if (position > this.heardHead) this.heardHead = position;
    this.catchUp();
  }

  /** Reads what is committed beyond the published position (one read loop at a time). */
  private catchUp(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    if (Math.max(this.heardHead, this.sequencer.knownHead) <= this.sequencer.position) return;
    this.reading = this.readLoop().finally(() => {
      this.reading = undefined;
      if (this.readAgain) {
        this.readAgain = false;
        this.catchUp();
      }
    });
  }

  private async readLoop(): Promise<void> {
    try {
      while (!this.stopped && Math.max(this.heardHead, this.sequencer.knownHead) > this.sequencer.position) {
        const result = await this.pool.query<PgRawRow>({
          text: `SELECT ${PG_COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT ${CATCH_UP_PAGE}`,
          values: [this.sequencer.position],
          rowMode: 'array',
        });
        if (result.rows.length === 0 || !this.sequencer.addRead(result.rows.map(pgRowToEvent))) {
          throw new Error(`the rows after position ${this.sequencer.position} are not there yet`);
        }
      }
    } catch (error) {
      this.readAgain = false;
      this.logger.warn(`reading the log after position ${this.sequencer.position} failed: ${errorText(error)}; retrying`);
      if (!this.retryTimer && !this.stopped) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          this.catchUp();
        }, 1000);
        this.retryTimer.unref();
      }
    }
  }

  append(
    stream: string,
    expectedVersion: ExpectedVersion,
    events: NewEvent[],
    meta: EventMeta,
    options?: AppendOptions,
  ): Promise<StoredEvent[]> {
    if (this.closing) return Promise.reject(new EventStoreClosedError());
    if (events.length === 0) return Promise.resolve([]);
    const queued = queuedAppend(stream, expectedVersion, events, meta);
    if (queued instanceof Error) return Promise.reject(queued);
    return new Promise<StoredEvent[]>((resolve, reject) => {
      this.queue.push({ request: queued, resolve, reject });
      if (options?.maxDelayMs === undefined) this.scheduleFlush();
      else this.scheduleDelayedFlush(options.maxDelayMs);
    });
  }

  /** For appends that may wait: a flush within `maxDelayMs`, unless another append (or a running flush) takes them sooner. */
  private scheduleDelayedFlush(maxDelayMs: number): void {
    if (this.flushScheduled || this.flushing || this.delayedFlush) return;
    this.delayedFlush = setTimeout(() => {
      this.delayedFlush = undefined;
      this.scheduleFlush();
    }, maxDelayMs);
  }

  private scheduleFlush(): void {
    if (this.delayedFlush) {
      clearTimeout(this.delayedFlush);
      this.delayedFlush = undefined;
    }
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // The next turn: appends made in this one share the transaction.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushQueue().finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.scheduleFlush();
      });
    });
  }

  private async flushQueue(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
  }

  private async commit(batch: PendingAppend[]): Promise<void> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const outcome = await writeBatch(
        client,
        batch.map((pending) => pending.request),
      );
      client.release();
      const accepted: { item: PendingAppend; events: StoredEvent[] }[] = [];
      outcome.results.forEach((result, i) => {
        if (result instanceof Error) batch[i].reject(result);
        else accepted.push({ item: batch[i], events: result });
      });
      this.sequencer.addOwn(outcome.committed, () => {
        for (const { item, events } of accepted) item.resolve(events);
      });
      // Positions before ours committed by another node: read them, then ours go out.
      if (this.sequencer.waiting) this.catchUp();
    } catch (error) {
      // A failed transaction wrote nothing; its connection is not reused.
      client?.release(error instanceof Error ? error : true);
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`append batch of ${batch.length} failed: ${failure.message}`);
      for (const item of batch) item.reject(failure);
    }
  }

  async *read(fromPosition: number, filter: ReadFilter = {}): AsyncIterable<StoredEvent> {
    const pageSize = filter.pageSize ?? 1000;
    const toPosition = filter.toPosition ?? Number.MAX_SAFE_INTEGER;
    const types = filter.types && filter.types.length > 0 ? [...filter.types] : null;
    const environment = filter.environment ?? null;
    let next = Math.max(1, fromPosition);
    for (;;) {
      const result = await this.pool.query<PgRawRow>({
        text: `SELECT ${PG_COLUMNS} FROM events
               WHERE position >= $1 AND position <= $2
                 AND ($3::text[] IS NULL OR type = ANY($3::text[]))
                 AND ($4::text IS NULL OR environment IS NULL OR environment = $4::text)
               ORDER BY position LIMIT $5`,
        values: [next, toPosition, types, environment, pageSize],
        rowMode: 'array',
      });
      for (const row of result.rows) yield pgRowToEvent(row);
      if (result.rows.length < pageSize) return;
      next = Number(result.rows[result.rows.length - 1][0]) + 1;
    }
  }

  async readStream(stream: string): Promise<StoredEvent[]> {
    const result = await this.pool.query<PgRawRow>({
      text: `SELECT ${PG_COLUMNS} FROM events WHERE stream = $1 ORDER BY version`,
      values: [stream],
      rowMode: 'array',
    });
    return result.rows.map(pgRowToEvent);
  }

  async positionAt(time: Date): Promise<number> {
    // Event times follow positions (the head's time never goes back): binary search.
    const wanted = time.toISOString();
    const client = await this.pool.connect();
    try {
      let low = 0;
      let high = this.position;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        const row = await client.query<{ time: string }>('SELECT time FROM events WHERE position = $1', [middle]);
        const at = row.rows.at(0)?.time;
        if (at !== undefined && at <= wanted) low = middle;
        else high = middle - 1;
      }
      return low;
    } finally {
      client.release();
    }
  }

  async openStreams(prefix: string, openType: string, closeTypes: readonly string[]): Promise<string[]> {
    const result = await this.pool.query<{ stream: string }>(
      `SELECT stream FROM events WHERE type = $1 AND stream LIKE $2 ESCAPE '\\'
         AND stream NOT IN (SELECT stream FROM events WHERE type = ANY($3::text[]))
       ORDER BY position`,
      [openType, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, [...closeTypes]],
    );
    return result.rows.map((row) => row.stream);
  }

  async verify(): Promise<VerifyResult> {
    const headRow = await this.pool.query<{ position: string; hash: string }>('SELECT position, hash FROM event_log_head WHERE id = 1');
    const head = { position: Number(headRow.rows[0]?.position ?? 0), hash: headRow.rows[0]?.hash ?? '' };
    const check = new ChainCheck(head.position);
    let after = 0;
    for (;;) {
      const result = await this.pool.query<PgRawRow>({
        text: `SELECT ${PG_COLUMNS} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT 5000`,
        values: [after, head.position],
        rowMode: 'array',
      });
      for (const row of result.rows) {
        const failure = check.add(pgRawRow(row));
        if (failure) return failure;
      }
      if (result.rows.length === 0) break;
      after = Number(result.rows[result.rows.length - 1][0]);
    }
    const result = check.finish();
    if (result.ok && head.position > 0 && check.lastHash !== head.hash) {
      return check.broken(head.position, `the head row's hash disagrees with position ${head.position}`);
    }
    return result;
  }

  close(): Promise<void> {
    this.closed ??= this.shutDown();
    return this.closed;
  }

  private async shutDown(): Promise<void> {
    this.closing = true;
    // Commit what is queued (appends made before close() are kept), the ones that could wait too.
    if (this.queue.length > 0) this.scheduleFlush();
    while (this.flushing || this.flushScheduled || this.queue.length > 0) {
      if (this.flushing) await this.flushing;
      else await new Promise((resolve) => setImmediate(resolve));
    }
    // Our last commits may wait behind other nodes' positions: give the read a moment.
    const deadline = Date.now() + CLOSE_PUBLISH_WAIT_MS;
    while (this.sequencer.waiting && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    this.stopped = true;
    await this.reading;
    this.sequencer.settleAll();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.tailer.stop();
    this.subject.complete();
    if (this.ownsPool) await endPool(this.pool);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
