// Loads the compiled replay pieces (CommonJS) from dist/api, next to lib/store.mjs.
import { createRequire } from 'node:module';
import './store.mjs'; // fails early with a hint when dist/api is missing

const require = createRequire(import.meta.url);
export const { SqliteCheckpointStore: CheckpointStore } = require('../../dist/api/dashboard/sqlite-checkpoint-store.js');
export const { buildCheckpoints } = require('../../dist/api/dashboard/checkpoint-builder.js');
export const { LogReplaySource } = require('../../dist/api/replay/log-replay-source.js');
export const { SampleReader } = require('../../dist/api/metrics/tsdb/sample-reader.js');
export const { SqliteTimeSeriesStore: TimeSeriesStore } = require('../../dist/api/metrics/tsdb/sqlite-time-series-store.js');

/**
 * Writes 1 Hz samples of `sources` host-like sources (5 values each) from `fromMs`
 * to `toMs` into the time-series store, flushing every simulated minute.
 */
export async function writeSamples(tsdb, { fromMs, toMs, sources = 3 }) {
  let written = 0;
  for (let t = fromMs; t <= toMs; t += 1000) {
    const rows = [];
    for (let s = 0; s < sources; s++) {
      const key = { source: s === 0 ? 'host' : `service-${s}`, environment: s === 0 ? undefined : s % 2 ? 'production' : 'staging' };
      for (const [m, metric] of ['cpu_percent', 'memory_percent', 'net_rx_bytes_per_s', 'net_tx_bytes_per_s', 'load1'].entries()) {
        rows.push({ key: { ...key, metric }, t, v: (t / 1000 + m * 7 + s) % 100 });
      }
      written += 1;
    }
    tsdb.write(rows);
    if ((t - fromMs) % 60_000 === 0) await tsdb.flush();
  }
  await tsdb.flush();
  return written;
}
