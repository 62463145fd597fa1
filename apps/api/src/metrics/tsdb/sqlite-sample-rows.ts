import type BetterSqlite3 from 'better-sqlite3';
import type { SampleRows } from './sample-reader';

/** SampleReader's reads on metrics.db (the server's connection, or the CLI's read-only one). */
export class SqliteSampleRows implements SampleRows {
  private readonly selectSeries: BetterSqlite3.Statement;
  private readonly selectRaw: BetterSqlite3.Statement;
  private readonly selectRollup: Readonly<Record<'1m' | '1h', BetterSqlite3.Statement>>;

  constructor(db: BetterSqlite3.Database) {
    this.selectSeries = db.prepare('SELECT id, environment, source, metric FROM ts_series').raw(true);
    // Tables are keyed (t, series_id): a time range is one index range scan.
    this.selectRaw = db.prepare('SELECT series_id, t, data FROM ts_raw WHERE t >= ? AND t <= ?').raw(true);
    this.selectRollup = {
      '1m': db.prepare('SELECT series_id, t, sum / count FROM ts_1m WHERE t > ? AND t <= ?').raw(true),
      '1h': db.prepare('SELECT series_id, t, sum / count FROM ts_1h WHERE t > ? AND t <= ?').raw(true),
    };
  }

  series(): Promise<[number, string, string, string][]> {
    return Promise.resolve(this.selectSeries.all() as [number, string, string, string][]);
  }

  raw(from: number, to: number): Promise<[number, number, Uint8Array][]> {
    return Promise.resolve(this.selectRaw.all(from, to) as [number, number, Buffer][]);
  }

  rollups(tier: '1m' | '1h', from: number, to: number): Promise<[number, number, number][]> {
    return Promise.resolve(this.selectRollup[tier].all(from, to) as [number, number, number][]);
  }
}
