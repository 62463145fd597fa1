import { Logger } from '@nestjs/common';
import { openSqliteDataSource, rawConnection } from '../../common/sqlite-data-source';
import type { HistoryPoint, HistoryTier, MetricKind } from '@vigil/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { CHUNK_MS, chunkStart, encodeChunk, forEachSample } from './chunk-codec';
import { CreateTimeSeries1796428800000 } from './migrations/1796428800000-create-time-series';
import { coarsen, rollUp, type Rollup } from './rollup';
import { SeriesRegistry, seriesKeyString, type SeriesInfo, type SeriesKey } from './series-registry';
import { DEFAULT_RETENTION, TIER_RESOLUTION_MS, planQuery, retentionMs, type Retention } from './tier-selection';

export type { Retention } from './tier-selection';
export type { SeriesInfo, SeriesKey } from './series-registry';

export interface TimeSeriesStoreOptions {
  /** Path of the SQLite file (its own file, not the event log's). */
  file: string;
  retention?: Partial<Retention>;
}

export interface MetricWrite {
  key: SeriesKey;
  /** Recorded with the series on its first write ('' if absent). */
  unit?: string;
  /** Recorded with the series on its first write ('gauge' if absent). */
  kind?: MetricKind;
  /** Epoch ms. */
  t: number;
  v: number;
}

export interface HistoryQuery {
  key: SeriesKey;
  from: number;
  to: number;
  maxPoints: number;
  /** Clock for the retention part of the tier rule (default Date.now()). */
  now?: number;
}

export interface HistoryResult {
  tier: HistoryTier;
  stepMs: number;
  points: HistoryPoint[];
}

export interface PruneResult {
  raw: number;
  minute: number;
  hour: number;
}

interface PendingSeries {
  key: SeriesKey;
  unit: string;
  kind: MetricKind;
  ts: number[];
  vs: number[];
}

const HOUR_MS = TIER_RESOLUTION_MS['1h'];
const MINUTE_MS = TIER_RESOLUTION_MS['1m'];

function upsertRollup(table: string): string {
  return `INSERT INTO ${table} (series_id, t, sum, min, max, count) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (series_id, t) DO UPDATE SET sum = sum + excluded.sum, min = MIN(min, excluded.min),
      max = MAX(max, excluded.max), count = count + excluded.count`;
}

/**
 * Every row start in [@start, @end) at @width spacing: tables are keyed (t, series_id),
 * so a series' rows are fetched by one key lookup each. Numbers bind as REAL, hence the casts.
 */
const SPAN = `WITH RECURSIVE span(t) AS (
    SELECT CAST(@start AS INTEGER) UNION ALL SELECT t + CAST(@width AS INTEGER) FROM span WHERE t + CAST(@width AS INTEGER) < @end)`;

/** Buckets one series' rollup rows in SQL: bucket index, Σsum, min, max, Σcount. */
function bucketRollups(table: string): string {
  return `${SPAN} SELECT (r.t - CAST(@start AS INTEGER)) / CAST(@step AS INTEGER) AS b, SUM(r.sum), MIN(r.min), MAX(r.max), SUM(r.count)
    FROM span CROSS JOIN ${table} r WHERE r.t = span.t AND r.series_id = @id GROUP BY b ORDER BY b`;
}

/**
 * Tiered metrics history on its own SQLite file (WAL, synchronous=NORMAL: this is
 * telemetry, losing the last second on power loss is fine). write() only buffers;
 * flush() writes the buffer in one transaction: raw samples appended to per-minute
 * chunks, and exact minute and hour rollups upserted (sum/min/max/count add up, so
 * out-of-order and split batches still aggregate exactly). The owner calls flush()
 * every second and prune() now and then.
 */
export class TimeSeriesStore {
  private readonly logger = new Logger('TimeSeriesStore');
  private readonly db: BetterSqlite3.Database;
  private readonly registry: SeriesRegistry;
  private pending = new Map<string, PendingSeries>();
  private pendingSamples = 0;
  private closed = false;

  private readonly appendRaw: BetterSqlite3.Statement;
  private readonly upsertMinute: BetterSqlite3.Statement;
  private readonly upsertHour: BetterSqlite3.Statement;
  private readonly selectRaw: BetterSqlite3.Statement;
  private readonly bucketMinutes: BetterSqlite3.Statement;
  private readonly bucketHours: BetterSqlite3.Statement;
  private readonly pruneRaw: BetterSqlite3.Statement;
  private readonly pruneMinutes: BetterSqlite3.Statement;
  private readonly pruneHours: BetterSqlite3.Statement;
  private readonly writeBatch: (batch: Map<string, PendingSeries>) => void;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly file: string,
    readonly retention: Retention,
  ) {
    this.db = rawConnection(dataSource);
    this.registry = new SeriesRegistry(this.db);
    // SQLite's || yields TEXT; the cast keeps the concatenated bytes a BLOB.
    this.appendRaw = this.db.prepare(
      'INSERT INTO ts_raw (series_id, t, data) VALUES (?, ?, ?) ON CONFLICT (series_id, t) DO UPDATE SET data = CAST(data || excluded.data AS BLOB)',
    );
    this.upsertMinute = this.db.prepare(upsertRollup('ts_1m'));
    this.upsertHour = this.db.prepare(upsertRollup('ts_1h'));
    this.selectRaw = this.db
      .prepare(`${SPAN} SELECT r.t, r.data FROM span CROSS JOIN ts_raw r WHERE r.t = span.t AND r.series_id = @id`)
      .raw(true);
    this.bucketMinutes = this.db.prepare(bucketRollups('ts_1m')).raw(true);
    this.bucketHours = this.db.prepare(bucketRollups('ts_1h')).raw(true);
    this.pruneRaw = this.db.prepare('DELETE FROM ts_raw WHERE t <= ?');
    this.pruneMinutes = this.db.prepare('DELETE FROM ts_1m WHERE t <= ?');
    this.pruneHours = this.db.prepare('DELETE FROM ts_1h WHERE t <= ?');
    this.writeBatch = this.db.transaction((batch: Map<string, PendingSeries>) => {
      for (const [keyString, series] of batch) this.writeSeries(keyString, series);
    });
  }

  static async open(options: TimeSeriesStoreOptions): Promise<TimeSeriesStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [],
      migrations: [CreateTimeSeries1796428800000],
    });
    return new TimeSeriesStore(dataSource, options.file, { ...DEFAULT_RETENTION, ...options.retention });
  }

  /** The raw connection, for readers of the stored samples (replay's sample reader). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  /** Samples buffered and not yet flushed. */
  get pendingCount(): number {
    return this.pendingSamples;
  }

  /** Buffers samples (no I/O). Non-finite values are dropped; so is anything written after close(). */
  write(samples: readonly MetricWrite[]): void {
    if (this.closed) return;
    for (const sample of samples) {
      if (!Number.isFinite(sample.v) || !Number.isFinite(sample.t)) continue;
      const keyString = seriesKeyString(sample.key);
      let series = this.pending.get(keyString);
      if (series === undefined) {
        series = { key: sample.key, unit: sample.unit ?? '', kind: sample.kind ?? 'gauge', ts: [], vs: [] };
        this.pending.set(keyString, series);
      }
      series.ts.push(Math.floor(sample.t));
      series.vs.push(sample.v);
      this.pendingSamples += 1;
    }
  }

  /** Writes everything buffered in one transaction. On failure the batch is dropped and the error rethrown. */
  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.pendingSamples = 0;
    try {
      this.writeBatch(batch);
    } catch (error) {
      this.registry.forget();
      this.logger.error(`flush of ${batch.size} series failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }

  private writeSeries(keyString: string, series: PendingSeries): void {
    const id = this.registry.resolve(series.key, series.unit, series.kind, keyString);
    const chunks = new Map<number, { ts: number[]; vs: number[] }>();
    for (let i = 0; i < series.ts.length; i++) {
      const start = chunkStart(series.ts[i]);
      let chunk = chunks.get(start);
      if (chunk === undefined) chunks.set(start, (chunk = { ts: [], vs: [] }));
      chunk.ts.push(series.ts[i]);
      chunk.vs.push(series.vs[i]);
    }
    const minutes = new Map<number, Rollup>();
    for (const [start, chunk] of chunks) {
      this.appendRaw.run(id, start, encodeChunk(start, chunk.ts, chunk.vs));
      rollUp(chunk.ts, chunk.vs, MINUTE_MS, minutes);
    }
    for (const [t, r] of minutes) this.upsertMinute.run(id, t, r.sum, r.min, r.max, r.count);
    for (const [t, r] of coarsen(minutes, HOUR_MS)) this.upsertHour.run(id, t, r.sum, r.min, r.max, r.count);
  }

  /**
   * At most maxPoints [bucketStart, avg, min, max] points (empty buckets omitted),
   * from the tier chosen by planQuery(); the range is widened to whole buckets.
   */
  query(q: HistoryQuery): HistoryResult {
    const plan = planQuery({ from: q.from, to: q.to, maxPoints: q.maxPoints, now: q.now ?? Date.now() }, this.retention);
    const result: HistoryResult = { tier: plan.tier, stepMs: plan.stepMs, points: [] };
    const id = this.registry.find(q.key);
    if (id === undefined || q.to <= q.from) return result;
    if (plan.tier !== 'raw') {
      const statement = plan.tier === '1m' ? this.bucketMinutes : this.bucketHours;
      const width = TIER_RESOLUTION_MS[plan.tier];
      const rows = statement.all({ start: plan.start, end: plan.end, width, step: plan.stepMs, id }) as [
        number,
        number,
        number,
        number,
        number,
      ][];
      for (const [b, sum, min, max, count] of rows) result.points.push([plan.start + b * plan.stepMs, sum / count, min, max]);
      return result;
    }
    const { start, end, stepMs, buckets } = plan;
    const sums = new Float64Array(buckets);
    const mins = new Float64Array(buckets).fill(Infinity);
    const maxs = new Float64Array(buckets).fill(-Infinity);
    const counts = new Uint32Array(buckets);
    const visit = (t: number, v: number): void => {
      if (t < start || t >= end) return;
      const b = Math.floor((t - start) / stepMs);
      sums[b] += v;
      if (v < mins[b]) mins[b] = v;
      if (v > maxs[b]) maxs[b] = v;
      counts[b] += 1;
    };
    const chunks = this.selectRaw.all({ start: chunkStart(start), end, width: CHUNK_MS, id }) as [number, Buffer][];
    for (const [t, data] of chunks) forEachSample(data, t, visit);
    for (let b = 0; b < buckets; b++) {
      if (counts[b] > 0) result.points.push([start + b * stepMs, sums[b] / counts[b], mins[b], maxs[b]]);
    }
    return result;
  }

  /**
   * Deletes rows entirely older than each tier's bound (now − retention): a raw chunk
   * or rollup row [t, t + width) goes once t + width <= bound. Rows straddling the
   * bound are kept whole (not trimmed). Returns the rows deleted per tier.
   */
  prune(now: number = Date.now()): PruneResult {
    const rawBound = now - retentionMs('raw', this.retention) - CHUNK_MS;
    const minuteBound = now - retentionMs('1m', this.retention) - MINUTE_MS;
    const hourBound = now - retentionMs('1h', this.retention) - HOUR_MS;
    const result: PruneResult = { raw: 0, minute: 0, hour: 0 };
    this.db.transaction(() => {
      result.raw = this.pruneRaw.run(rawBound).changes;
      result.minute = this.pruneMinutes.run(minuteBound).changes;
      result.hour = this.pruneHours.run(hourBound).changes;
    })();
    return result;
  }

  catalog(): SeriesInfo[] {
    return this.registry.catalog();
  }

  /** Moves the WAL into the main file and truncates it (e.g. before measuring size). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Bytes on disk: the database file plus its WAL. */
  diskBytes(): number {
    let bytes = 0;
    for (const path of [this.file, `${this.file}-wal`]) if (existsSync(path)) bytes += statSync(path).size;
    return bytes;
  }

  /** Flushes, then closes the file (even if that last flush fails, which is then rethrown). */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    }
  }
}
