import { Logger } from '@nestjs/common';
import { openSqliteDataSource, rawConnection } from '../common/sqlite-data-source';
import { type EventMeta, type NewEvent, type StoredEvent } from '@vigil/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { Subject, type Observable } from 'rxjs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { EventRecord } from './event-record.entity';
import { chainRows, GENESIS_HASH } from './event-hash';
import { ChainCheck } from './chain-check';
import { rowToEvent, settled, type RawRow } from './stored-event';
import { queuedAppend, storedEventsOf, type QueuedAppend } from './queued-append';
import {
  ConcurrencyError,
  EventStore,
  EventStoreClosedError,
  type AppendOptions,
  type ExpectedVersion,
  type ReadFilter,
  type VerifyResult,
} from './event-store';
import { CreateEventLog1796342400000 } from './migrations/1796342400000-create-event-log';

interface PendingAppend {
  request: QueuedAppend;
  resolve: (events: StoredEvent[]) => void;
  reject: (error: Error) => void;
}

/** One group commit's working state: filled in by the transaction, read after it. */
interface FlushState {
  batch: PendingAppend[];
  /** Per append: its stored events, or why it was refused. */
  results: (StoredEvent[] | Error)[];
  /** Each stream's version after this batch. */
  versions: Map<string, number>;
  /** Events another process committed before this batch (taken in under the write lock). */
  external: StoredEvent[];
  /** The head after this batch. */
  position: number;
  hash: string;
}

const COLUMNS = 'position, stream, version, type, environment, data, meta, time, hash';
/** How often to look for events appended by another process (the CLI). */
const EXTERNAL_POLL_MS = 500;
/** Stream versions kept in memory; older streams are looked up again on demand. */
const VERSION_CACHE_LIMIT = 50_000;

/** Counters since open (cheap; benchmarks read them, e.g. events per group commit). */
export interface SqliteAppendStats {
  /** Group-commit transactions written (failed ones not counted). */
  commits: number;
  /** append() calls settled by those commits (refused ones included). */
  appends: number;
  /** Events committed. */
  events: number;
}

export interface SqliteEventStoreOptions {
  /** Path of the SQLite file (":memory:" only for throwaway use). */
  file: string;
}

/**
 * The event log on its own SQLite file: WAL with synchronous=FULL, since it is an
 * audit log. Appends queued in the same turn of the event loop are written in one
 * transaction (group commit), so many concurrent callers share one fsync.
 */
export class SqliteEventStore extends EventStore {
  private readonly logger = new Logger('EventStore');
  private readonly subject = new Subject<StoredEvent>();
  readonly events$: Observable<StoredEvent> = this.subject.asObservable();

  private db!: BetterSqlite3.Database;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  /** Set while only appends that may wait are queued (AppendOptions.maxDelayMs). */
  private delayedFlush?: NodeJS.Timeout;
  private closing = false;
  private lastPosition = 0;
  private lastHash = GENESIS_HASH;
  private readonly versions = new Map<string, number>();
  private readonly counters: SqliteAppendStats = { commits: 0, appends: 0, events: 0 };

  private insert!: BetterSqlite3.Statement;
  private streamVersion!: BetterSqlite3.Statement;
  private headRow!: BetterSqlite3.Statement;
  private rowsAfter!: BetterSqlite3.Statement;
  private timeOf!: BetterSqlite3.Statement;
  private dataVersionQuery!: BetterSqlite3.Statement;
  private writeTransaction!: BetterSqlite3.Transaction<(state: FlushState) => void>;
  private lastDataVersion = 0;
  private externalPoll?: NodeJS.Timeout;

  private constructor(private readonly dataSource: DataSource) {
    super();
  }

  static async open(options: SqliteEventStoreOptions): Promise<SqliteEventStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'FULL',
      entities: [EventRecord],
      migrations: [CreateEventLog1796342400000],
    });
    const store = new SqliteEventStore(dataSource);
    store.prepare();
    return store;
  }

  /** The TypeORM data source (for the repository-based baseline and admin tools). */
  get typeorm(): DataSource {
    return this.dataSource;
  }

  get position(): number {
    return this.lastPosition;
  }

  /** A copy of the append counters. */
  get stats(): SqliteAppendStats {
    return { ...this.counters };
  }

  private prepare(): void {
    this.db = rawConnection(this.dataSource);
    this.insert = this.db.prepare(`INSERT INTO events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.streamVersion = this.db.prepare('SELECT MAX(version) AS version FROM events WHERE stream = ?');
    this.headRow = this.db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1');
    this.rowsAfter = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position`).raw(true);
    this.timeOf = this.db.prepare('SELECT time FROM events WHERE position = ?').pluck();
    this.dataVersionQuery = this.db.prepare('PRAGMA data_version').pluck();
    this.writeTransaction = this.db.transaction((state: FlushState) => {
      this.writeBatch(state);
    });
    const last = this.headRow.get() as { position: number; hash: string } | undefined;
    if (last) {
      this.lastPosition = last.position;
      this.lastHash = last.hash;
    }
    this.lastDataVersion = this.dataVersion();
    // Another process (the CLI) may append to the same file: notice and publish it.
    this.externalPoll = setInterval(() => {
      this.publish(this.adoptExternal());
    }, EXTERNAL_POLL_MS);
    this.externalPoll.unref();
  }

  /** Changes whenever another connection commits to the file (not for our own commits). */
  private dataVersion(): number {
    return this.dataVersionQuery.get() as number;
  }

  /**
   * Takes in events that another process committed since our last look: moves the
   * head (position and hash) past them and forgets cached versions of their streams.
   * Returns them for publishing, in position order.
   */
  private adoptExternal(): StoredEvent[] {
    if (this.closing) return [];
    const version = this.dataVersion();
    if (version === this.lastDataVersion) return [];
    this.lastDataVersion = version;
    const head = this.headRow.get() as { position: number; hash: string } | undefined;
    if (!head || head.position <= this.lastPosition) return [];
    const events = (this.rowsAfter.all(this.lastPosition) as RawRow[]).map(rowToEvent);
    for (const event of events) this.versions.delete(event.stream);
    this.lastPosition = head.position;
    this.lastHash = head.hash;
    this.logger.log(`took in ${events.length} event(s) appended by another process`);
    return events;
  }

  private publish(events: readonly StoredEvent[]): void {
    for (const event of events) this.subject.next(event);
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
      this.scheduleFlush(options?.maxDelayMs);
    });
  }

  /** The next turn, or (for an append that may wait) within `maxDelayMs` unless another append comes first. */
  private scheduleFlush(maxDelayMs: number | undefined): void {
    if (this.flushScheduled) return;
    if (maxDelayMs === undefined) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flush();
      });
      return;
    }
    this.delayedFlush ??= setTimeout(() => {
      this.delayedFlush = undefined;
      this.flush();
    }, maxDelayMs);
  }

  private currentVersion(stream: string, pending: Map<string, number>): number {
    const inBatch = pending.get(stream);
    if (inBatch !== undefined) return inBatch;
    const cached = this.versions.get(stream);
    if (cached !== undefined) return cached;
    const row = this.streamVersion.get(stream) as { version: number | null };
    return row.version ?? 0;
  }

  private rememberVersion(stream: string, version: number): void {
    this.versions.delete(stream);
    this.versions.set(stream, version);
    if (this.versions.size > VERSION_CACHE_LIMIT) {
      const oldest = this.versions.keys().next().value;
      if (oldest !== undefined) this.versions.delete(oldest);
    }
  }

  /** Writes every queued append in one transaction, then settles and publishes. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.delayedFlush) {
      clearTimeout(this.delayedFlush);
      this.delayedFlush = undefined;
    }
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;

    const state: FlushState = {
      batch,
      results: new Array<StoredEvent[] | Error>(batch.length),
      versions: new Map<string, number>(),
      external: [],
      position: this.lastPosition,
      hash: this.lastHash,
    };
    try {
      this.writeTransaction.immediate(state);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`append batch of ${batch.length} failed: ${failure.message}`);
      for (const item of batch) item.reject(failure);
      this.publish(state.external);
      return;
    }

    const { results } = state;
    this.counters.commits += 1;
    this.counters.appends += batch.length;
    this.counters.events += state.position - this.lastPosition;
    this.lastPosition = state.position;
    this.lastHash = state.hash;
    for (const [stream, version] of state.versions) this.rememberVersion(stream, version);

    for (let i = 0; i < batch.length; i++) {
      const result = results[i];
      if (result instanceof Error) batch[i].reject(result);
      else batch[i].resolve(result);
    }
    // Publish after commit, in position order. Subscribers must not throw;
    // if one does, the others still get the event (RxJS reports it asynchronously).
    this.publish(state.external);
    for (const result of results) {
      if (result instanceof Error) continue;
      for (const event of result) this.subject.next(event);
    }
  }

  /** The body of the group commit's transaction (BEGIN IMMEDIATE: the write lock is held). */
  private writeBatch(state: FlushState): void {
    // First take in whatever another process committed, so positions and the
    // hash chain continue from the real head.
    state.external = this.adoptExternal();
    let position = this.lastPosition;
    let hash = this.lastHash;
    // One time for the whole commit: events' times follow commit order.
    const time = new Date().toISOString();
    const { batch, results, versions } = state;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i].request;
      const current = this.currentVersion(item.stream, versions);
      if (item.expectedVersion !== 'any' && item.expectedVersion !== current) {
        results[i] = new ConcurrencyError(item.stream, item.expectedVersion, current);
        continue;
      }
      const rows = chainRows({ position, hash }, current, time, item);
      for (const row of rows) {
        this.insert.run(row.position, row.stream, row.version, row.type, item.environment, row.dataJson, row.metaJson, time, row.hash);
      }
      const last = rows[rows.length - 1];
      position = last.position;
      hash = last.hash;
      versions.set(item.stream, last.version);
      results[i] = storedEventsOf(rows, item);
    }
    state.position = position;
    state.hash = hash;
  }

  async *read(fromPosition: number, filter: ReadFilter = {}): AsyncIterable<StoredEvent> {
    const pageSize = filter.pageSize ?? 1000;
    const toPosition = filter.toPosition ?? Number.MAX_SAFE_INTEGER;
    const types = filter.types && filter.types.length > 0 ? new Set(filter.types) : undefined;
    const environment = filter.environment;
    const page = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position >= ? AND position <= ? ORDER BY position LIMIT ?`).raw(true);
    let next = Math.max(1, fromPosition);
    for (;;) {
      const rows = page.all(next, toPosition, pageSize) as RawRow[];
      for (const row of rows) {
        if (types && !types.has(row[3])) continue;
        if (environment !== undefined && row[4] !== null && row[4] !== environment) continue;
        yield rowToEvent(row);
      }
      if (rows.length < pageSize) return;
      next = rows[rows.length - 1][0] + 1;
      // Let other work run between pages: a huge read never starves the server.
      await nextTurn();
    }
  }

  readStream(stream: string): Promise<StoredEvent[]> {
    return settled(() => {
      const rows = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream = ? ORDER BY version`).raw(true).all(stream) as RawRow[];
      return rows.map(rowToEvent);
    });
  }

  positionAt(time: Date): Promise<number> {
    return settled(() => {
      // ISO-8601 UTC strings with milliseconds compare like the times they denote.
      const wanted = time.toISOString();
      let low = 0;
      let high = this.lastPosition;
      while (low < high) {
        const middle = Math.ceil((low + high) / 2);
        const at = this.timeOf.get(middle) as string | undefined;
        if (at !== undefined && at <= wanted) low = middle;
        else high = middle - 1;
      }
      return low;
    });
  }

  openStreams(prefix: string, openType: string, closeTypes: readonly string[]): Promise<string[]> {
    return settled(() => {
      const placeholders = closeTypes.map(() => '?').join(', ');
      const rows = this.db
        .prepare(
          `SELECT stream FROM events WHERE type = ? AND stream LIKE ? ESCAPE '\\'
           AND stream NOT IN (SELECT stream FROM events WHERE type IN (${placeholders}))
           ORDER BY position`,
        )
        .all(openType, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, ...closeTypes) as { stream: string }[];
      return rows.map((row) => row.stream);
    });
  }

  async verify(): Promise<VerifyResult> {
    const page = this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT 5000`).raw(true);
    const check = new ChainCheck(this.lastPosition);
    let after = 0;
    for (;;) {
      const rows = page.all(after) as RawRow[];
      for (const row of rows) {
        const failure = check.add(row);
        if (failure) return failure;
      }
      if (rows.length === 0) break;
      after = rows[rows.length - 1][0];
      await nextTurn();
    }
    return check.finish();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    if (this.queue.length > 0) this.flush();
    this.closing = true;
    if (this.externalPoll) clearInterval(this.externalPoll);
    this.subject.complete();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
