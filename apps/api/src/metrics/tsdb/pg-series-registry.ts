import type pg from 'pg';
import { seriesKeyOf, seriesKeyString, type SeriesInfo, type SeriesKey } from './series-key';
import type { SeriesBatch } from './time-series-store';

/**
 * PostgreSQL: series ids by key, cached. New series are registered in their own
 * statement before the data transaction (ON CONFLICT DO NOTHING, then read back),
 * so nodes registering the same series at once get the same id and a rolled-back
 * flush leaves at worst a series without rows, never a cached id that does not exist.
 */
export class PgSeriesRegistry {
  private readonly ids = new Map<string, number>();

  constructor(private readonly pool: pg.Pool) {}

  async find(key: SeriesKey, keyString = seriesKeyString(key)): Promise<number | undefined> {
    const cached = this.ids.get(keyString);
    if (cached !== undefined) return cached;
    const { rows } = await this.pool.query<{ id: number }>(
      'SELECT id FROM ts_series WHERE environment = $1 AND source = $2 AND metric = $3',
      [key.environment ?? '', key.source, key.metric],
    );
    if (rows.length > 0) this.ids.set(keyString, rows[0].id);
    return rows[0]?.id;
  }

  /** Ids of every series in the batch, registering the unknown ones in one round trip. */
  async resolve(batch: readonly SeriesBatch[]): Promise<number[]> {
    const missing = batch.filter((series) => !this.ids.has(series.keyString));
    if (missing.length > 0) {
      const columns = [0, 1, 2, 3, 4].map(() => [] as string[]);
      for (const series of missing) {
        const values = [series.key.environment ?? '', series.key.source, series.key.metric, series.unit, series.kind];
        values.forEach((value, i) => columns[i].push(value));
      }
      const { rows } = await this.pool.query<{ id: number; environment: string; source: string; metric: string }>(
        `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS w(environment, source, metric, unit, kind)),
         added AS (INSERT INTO ts_series (environment, source, metric, unit, kind) SELECT * FROM wanted ORDER BY environment, source, metric
                   ON CONFLICT DO NOTHING RETURNING id, environment, source, metric)
         SELECT id, environment, source, metric FROM added
         UNION ALL SELECT s.id, s.environment, s.source, s.metric FROM ts_series s JOIN wanted w USING (environment, source, metric)`,
        columns,
      );
      for (const row of rows) this.ids.set(seriesKeyString(seriesKeyOf(row.environment, row.source, row.metric)), row.id);
      // A series another node committed after this statement's snapshot was skipped by ON CONFLICT and not seen: read it now.
      for (const series of missing) if (!this.ids.has(series.keyString)) await this.find(series.key, series.keyString);
    }
    return batch.map((series) => {
      const id = this.ids.get(series.keyString);
      if (id === undefined) throw new Error(`series ${series.key.source}/${series.key.metric} was inserted but not found`);
      return id;
    });
  }

  forget(): void {
    this.ids.clear();
  }

  async catalog(): Promise<SeriesInfo[]> {
    const { rows } = await this.pool.query<{ environment: string; source: string; metric: string; unit: string; kind: SeriesInfo['kind'] }>(
      'SELECT environment, source, metric, unit, kind FROM ts_series ORDER BY id',
    );
    return rows.map((row) => ({ key: seriesKeyOf(row.environment, row.source, row.metric), unit: row.unit, kind: row.kind }));
  }
}
