import type pg from 'pg';
import type { SampleRows } from './sample-reader';

/**
 * SampleReader's reads on PostgreSQL. t is BIGINT: read back as float8 (exact for epoch
 * ms); bounds are rounded to whole ms the way an integer t compares with them.
 */
export class PgSampleRows implements SampleRows {
  constructor(private readonly pool: pg.Pool) {}

  async series(): Promise<[number, string, string, string][]> {
    const { rows } = await this.pool.query<[number, string, string, string]>({
      text: 'SELECT id, environment, source, metric FROM ts_series',
      rowMode: 'array',
    });
    return rows;
  }

  async raw(from: number, to: number): Promise<[number, number, Uint8Array][]> {
    const { rows } = await this.pool.query<[number, number, Buffer]>({
      text: 'SELECT series_id, t::float8, data FROM ts_raw WHERE t >= $1 AND t <= $2 ORDER BY t, series_id',
      values: [Math.ceil(from), Math.floor(to)],
      rowMode: 'array',
    });
    return rows;
  }

  async rollups(tier: '1m' | '1h', from: number, to: number): Promise<[number, number, number][]> {
    const table = tier === '1m' ? 'ts_1m' : 'ts_1h';
    const { rows } = await this.pool.query<[number, number, number]>({
      text: `SELECT series_id, t::float8, sum / count FROM ${table} WHERE t > $1 AND t <= $2 ORDER BY t, series_id`,
      values: [Math.floor(from), Math.floor(to)],
      rowMode: 'array',
    });
    return rows;
  }
}
