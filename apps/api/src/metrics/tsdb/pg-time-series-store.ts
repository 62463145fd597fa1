import type pg from 'pg';
import { inPgTransaction } from '../../common/pg-queries';
import type { PostgresDatabaseSettings } from '../../database/database-settings';
import { runPostgresMigrations } from '../../database/postgres-migrations';
import { CreatePostgresTimeSeries1796428800001 } from './migrations/1796428800001-create-postgres-time-series';
import { PgSampleRows } from './pg-sample-rows';
import { PgSeriesRegistry } from './pg-series-registry';
import { SampleReader } from './sample-reader';
import type { SeriesInfo, SeriesKey } from './series-key';
import { DEFAULT_RETENTION, type QueryPlan, type Retention } from './tier-selection';
import { TimeSeriesStore, type BucketRow, type PruneBounds, type PruneResult, type SeriesBatch } from './time-series-store';

export interface PgTimeSeriesStoreOptions {
  pool: pg.Pool;
  /** For the migrations (run under the cluster's migration lock). */
  settings: PostgresDatabaseSettings;
  retention?: Partial<Retention>;
}

/** Exact, commutative rollup upsert of a whole flush: one statement per tier, rows as arrays. */
function upsertRollups(table: string): string {
  return `INSERT INTO ${table} AS r (series_id, t, sum, min, max, count)
    SELECT * FROM unnest($1::int[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::bigint[]) ORDER BY 1, 2
    ON CONFLICT (series_id, t) DO UPDATE SET sum = r.sum + excluded.sum, min = LEAST(r.min, excluded.min),
      max = GREATEST(r.max, excluded.max), count = r.count + excluded.count`;
}

/** Raw chunks appended: a chunk another node (or an earlier flush) started gets the new records at its end. */
const APPEND_RAW = `INSERT INTO ts_raw AS r (series_id, t, data)
  SELECT * FROM unnest($1::int[], $2::bigint[], $3::bytea[]) ORDER BY 1, 2
  ON CONFLICT (series_id, t) DO UPDATE SET data = r.data || excluded.data`;

type RollupColumns = [number[], number[], number[], number[], number[], number[]];

/**
 * The time-series store on PostgreSQL, shared by every node. A flush is one
 * transaction of three statements (raw chunks, minute and hour rollups), each
 * carrying the whole batch as arrays (unnest), whatever the number of series.
 * Rows are inserted in key order, so two nodes flushing the same series lock
 * rows in the same order and cannot deadlock.
 */
export class PgTimeSeriesStore extends TimeSeriesStore {
  private readonly registry: PgSeriesRegistry;

  private constructor(
    private readonly pool: pg.Pool,
    retention: Retention,
  ) {
    super(retention);
    this.registry = new PgSeriesRegistry(pool);
  }

  /** Creates the tables if needed (migrations under an advisory lock) on a pool the caller owns. */
  static async open(options: PgTimeSeriesStoreOptions): Promise<PgTimeSeriesStore> {
    await runPostgresMigrations(options.settings, [CreatePostgresTimeSeries1796428800001]);
    return new PgTimeSeriesStore(options.pool, { ...DEFAULT_RETENTION, ...options.retention });
  }

  sampleReader(): SampleReader {
    return new SampleReader(new PgSampleRows(this.pool), this.retention);
  }

  protected async writeBatch(batch: readonly SeriesBatch[]): Promise<void> {
    const ids = await this.registry.resolve(batch);
    const raw: [number[], number[], Buffer[]] = [[], [], []];
    const minutes: RollupColumns = [[], [], [], [], [], []];
    const hours: RollupColumns = [[], [], [], [], [], []];
    const addRollup = (
      columns: RollupColumns,
      id: number,
      t: number,
      r: { sum: number; min: number; max: number; count: number },
    ): void => {
      columns[0].push(id);
      columns[1].push(t);
      columns[2].push(r.sum);
      columns[3].push(r.min);
      columns[4].push(r.max);
      columns[5].push(r.count);
    };
    batch.forEach((series, i) => {
      for (const [start, data] of series.chunks) {
        raw[0].push(ids[i]);
        raw[1].push(start);
        raw[2].push(data);
      }
      for (const [t, r] of series.minutes) addRollup(minutes, ids[i], t, r);
      for (const [t, r] of series.hours) addRollup(hours, ids[i], t, r);
    });
    await inPgTransaction(this.pool, async (client) => {
      await client.query(APPEND_RAW, raw);
      await client.query(upsertRollups('ts_1m'), minutes);
      await client.query(upsertRollups('ts_1h'), hours);
    });
  }

  protected afterFailedWrite(): void {
    this.registry.forget();
  }

  protected findSeries(key: SeriesKey): Promise<number | undefined> {
    return this.registry.find(key);
  }

  protected async bucketRollups(tier: '1m' | '1h', id: number, plan: QueryPlan): Promise<BucketRow[]> {
    const table = tier === '1m' ? 'ts_1m' : 'ts_1h';
    const { rows } = await this.pool.query<BucketRow>({
      text: `SELECT ((t - $2::bigint) / $4::bigint)::float8 AS b, SUM(sum), MIN(min), MAX(max), SUM(count)::float8
        FROM ${table} WHERE series_id = $1 AND t >= $2::bigint AND t < $3::bigint GROUP BY b ORDER BY b`,
      values: [id, plan.start, plan.end, plan.stepMs],
      rowMode: 'array',
    });
    return rows;
  }

  protected async rawChunks(id: number, from: number, end: number): Promise<[number, Uint8Array][]> {
    const { rows } = await this.pool.query<[number, Buffer]>({
      text: 'SELECT t::float8, data FROM ts_raw WHERE series_id = $1 AND t >= $2::bigint AND t < $3::bigint ORDER BY t',
      values: [id, from, end],
      rowMode: 'array',
    });
    return rows;
  }

  protected deleteBefore(bounds: PruneBounds): Promise<PruneResult> {
    return inPgTransaction(this.pool, async (client) => ({
      raw: (await client.query('DELETE FROM ts_raw WHERE t <= $1', [bounds.raw])).rowCount ?? 0,
      minute: (await client.query('DELETE FROM ts_1m WHERE t <= $1', [bounds.minute])).rowCount ?? 0,
      hour: (await client.query('DELETE FROM ts_1h WHERE t <= $1', [bounds.hour])).rowCount ?? 0,
    }));
  }

  catalog(): Promise<SeriesInfo[]> {
    return this.registry.catalog();
  }

  /** The pool belongs to the caller (the app's PG_POOL): nothing to close here. */
  protected release(): Promise<void> {
    return Promise.resolve();
  }
}
