import { existsSync, statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { DataSource } from 'typeorm';
import { openSqliteDataSource, rawConnection } from '../../common/sqlite-data-source';
import { CHUNK_MS } from './chunk-codec';
import { CreateTimeSeries1796428800000 } from './migrations/1796428800000-create-time-series';
import { SampleReader } from './sample-reader';
import type { SeriesInfo, SeriesKey } from './series-key';
import { SeriesRegistry } from './series-registry';
import { SqliteSampleRows } from './sqlite-sample-rows';
import { DEFAULT_RETENTION, TIER_RESOLUTION_MS, type QueryPlan, type Retention } from './tier-selection';
import { TimeSeriesStore, type BucketRow, type PruneBounds, type PruneResult, type SeriesBatch } from './time-series-store';

export interface SqliteTimeSeriesStoreOptions {
  /** Path of the SQLite file (its own file, not the event log's). */
  file: string;
  retention?: Partial<Retention>;
}

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
 * The time-series store on its own SQLite file (WAL, synchronous=NORMAL: this is
 * telemetry, losing the last second on power loss is fine).
 */
export class SqliteTimeSeriesStore extends TimeSeriesStore {
  private readonly db: BetterSqlite3.Database;
  private readonly registry: SeriesRegistry;
  private readonly appendRaw: BetterSqlite3.Statement;
  private readonly upsertMinute: BetterSqlite3.Statement;
  private readonly upsertHour: BetterSqlite3.Statement;
  private readonly selectRaw: BetterSqlite3.Statement;
  private readonly bucketMinutes: BetterSqlite3.Statement;
  private readonly bucketHours: BetterSqlite3.Statement;
  private readonly pruneRaw: BetterSqlite3.Statement;
  private readonly pruneMinutes: BetterSqlite3.Statement;
  private readonly pruneHours: BetterSqlite3.Statement;
  private readonly writeTransaction: (batch: readonly SeriesBatch[]) => void;

  private constructor(
    private readonly dataSource: DataSource,
    private readonly file: string,
    retention: Retention,
  ) {
    super(retention);
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
    this.writeTransaction = this.db.transaction((batch: readonly SeriesBatch[]) => {
      for (const series of batch) this.writeSeries(series);
    });
  }

  static async open(options: SqliteTimeSeriesStoreOptions): Promise<SqliteTimeSeriesStore> {
    const dataSource = await openSqliteDataSource({
      file: options.file,
      synchronous: 'NORMAL',
      entities: [],
      migrations: [CreateTimeSeries1796428800000],
    });
    return new SqliteTimeSeriesStore(dataSource, options.file, { ...DEFAULT_RETENTION, ...options.retention });
  }

  /** The raw connection (tests, benchmarks). */
  get connection(): BetterSqlite3.Database {
    return this.db;
  }

  sampleReader(): SampleReader {
    return new SampleReader(new SqliteSampleRows(this.db), this.retention);
  }

  protected writeBatch(batch: readonly SeriesBatch[]): Promise<void> {
    this.writeTransaction(batch);
    return Promise.resolve();
  }

  protected afterFailedWrite(): void {
    this.registry.forget();
  }

  private writeSeries(series: SeriesBatch): void {
    const id = this.registry.resolve(series.key, series.unit, series.kind, series.keyString);
    for (const [start, data] of series.chunks) this.appendRaw.run(id, start, data);
    for (const [t, r] of series.minutes) this.upsertMinute.run(id, t, r.sum, r.min, r.max, r.count);
    for (const [t, r] of series.hours) this.upsertHour.run(id, t, r.sum, r.min, r.max, r.count);
  }

  protected findSeries(key: SeriesKey): Promise<number | undefined> {
    return Promise.resolve(this.registry.find(key));
  }

  protected bucketRollups(tier: '1m' | '1h', id: number, plan: QueryPlan): Promise<BucketRow[]> {
    const statement = tier === '1m' ? this.bucketMinutes : this.bucketHours;
    const width = TIER_RESOLUTION_MS[tier];
    return Promise.resolve(statement.all({ start: plan.start, end: plan.end, width, step: plan.stepMs, id }) as BucketRow[]);
  }

  protected rawChunks(id: number, from: number, end: number): Promise<[number, Uint8Array][]> {
    return Promise.resolve(this.selectRaw.all({ start: from, end, width: CHUNK_MS, id }) as [number, Buffer][]);
  }

  protected deleteBefore(bounds: PruneBounds): Promise<PruneResult> {
    const result: PruneResult = { raw: 0, minute: 0, hour: 0 };
    this.db.transaction(() => {
      result.raw = this.pruneRaw.run(bounds.raw).changes;
      result.minute = this.pruneMinutes.run(bounds.minute).changes;
      result.hour = this.pruneHours.run(bounds.hour).changes;
    })();
    return Promise.resolve(result);
  }

  catalog(): Promise<SeriesInfo[]> {
    return Promise.resolve(this.registry.catalog());
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

  protected async release(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
