import { PgTimeSeriesStore } from '../../apps/api/src/metrics/tsdb/pg-time-series-store';
import { SqliteTimeSeriesStore } from '../../apps/api/src/metrics/tsdb/sqlite-time-series-store';
import type { Retention, TimeSeriesStore } from '../../apps/api/src/metrics/tsdb/time-series-store';
import type { StoreEngine } from './store-engines';

/** The time-series store on either engine: metrics.db in the test's dir, or the test's PostgreSQL database. */
export function openTimeSeriesStore(engine: StoreEngine, retention?: Partial<Retention>): Promise<TimeSeriesStore> {
  return engine.name === 'sqlite'
    ? SqliteTimeSeriesStore.open({ file: engine.file('metrics.db'), retention })
    : PgTimeSeriesStore.open({ pool: engine.pool(), settings: engine.settings(), retention });
}
