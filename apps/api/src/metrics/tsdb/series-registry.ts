import type { MetricKind } from '@vigil/shared';
import type BetterSqlite3 from 'better-sqlite3';
import { seriesKeyOf, seriesKeyString, type SeriesInfo, type SeriesKey } from './series-key';

export { seriesKeyString, type SeriesInfo, type SeriesKey } from './series-key';

/** SQLite: series ids by key, cached; unit and kind are those of the first write. */
export class SeriesRegistry {
  private readonly ids = new Map<string, number>();
  private readonly insert: BetterSqlite3.Statement;
  private readonly select: BetterSqlite3.Statement;
  private readonly all: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    this.insert = db.prepare(
      'INSERT INTO ts_series (environment, source, metric, unit, kind) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.select = db.prepare('SELECT id FROM ts_series WHERE environment = ? AND source = ? AND metric = ?').pluck();
    this.all = db.prepare('SELECT environment, source, metric, unit, kind FROM ts_series ORDER BY id');
  }

  /** The id of a series, or undefined if it was never written. */
  find(key: SeriesKey, keyString = seriesKeyString(key)): number | undefined {
    const cached = this.ids.get(keyString);
    if (cached !== undefined) return cached;
    const id = this.select.get(key.environment ?? '', key.source, key.metric) as number | undefined;
    if (id !== undefined) this.ids.set(keyString, id);
    return id;
  }

  /** The id of a series, registering it first if needed. Call inside the flush transaction. */
  resolve(key: SeriesKey, unit: string, kind: MetricKind, keyString = seriesKeyString(key)): number {
    const known = this.find(key, keyString);
    if (known !== undefined) return known;
    this.insert.run(key.environment ?? '', key.source, key.metric, unit, kind);
    const id = this.find(key, keyString);
    if (id === undefined) throw new Error(`series ${key.source}/${key.metric} was inserted but not found`);
    return id;
  }

  /** After a rolled-back transaction: cached ids of new series may not exist. */
  forget(): void {
    this.ids.clear();
  }

  catalog(): SeriesInfo[] {
    const rows = this.all.all() as { environment: string; source: string; metric: string; unit: string; kind: MetricKind }[];
    return rows.map((row) => ({
      key: seriesKeyOf(row.environment, row.source, row.metric),
      unit: row.unit,
      kind: row.kind,
    }));
  }
}
