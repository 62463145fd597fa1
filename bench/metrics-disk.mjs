// Disk use of the metrics time-series store: one simulated day at default settings,
// 60 series sampled every second (host + Vigil + three services), against a naive
// one-row-per-sample table (rowid table + (series_id, t) index) holding the same samples.
// Flushing once per simulated second would mean 86,400 transactions; by default the
// store is flushed once per --flush-every simulated seconds (10), the naive table
// gets one transaction per 10,000 rows. Sizes are file + WAL after a TRUNCATE checkpoint.
import Database from 'better-sqlite3';
import { statSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { RESULT_PREFIX, log } from './lib/result.mjs';
import { round } from './lib/stats.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const storePath = fileURLToPath(new URL('../dist/api/metrics/tsdb/sqlite-time-series-store.js', import.meta.url));
if (!existsSync(storePath)) {
  process.stderr.write('dist/api is missing: run `npm run build:shared && npm run build:api` first\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { SqliteTimeSeriesStore: TimeSeriesStore } = require(storePath);
require('@nestjs/common').Logger.overrideLogger(['error']);

const opt = numberArgs({ series: 60, hours: 24, flushEvery: 10, baseline: 1 });
const MB = 1024 * 1024;
const START = Date.UTC(2026, 0, 1);
const SECONDS = opt.hours * 3600;

// 60 series: host (12 metrics), vigil (12), three services (12 each); random walks
// of differing magnitude (percent, bytes, counts), so float values are realistic.
const SOURCES = ['host', 'vigil', 'web-server', 'worker', 'database'];
const keys = Array.from({ length: opt.series }, (_, i) => {
  const source = SOURCES[i % SOURCES.length];
  return {
    key: { environment: source === 'host' ? undefined : 'staging', source, metric: `metric_${Math.floor(i / SOURCES.length)}` },
    unit: i % 3 === 0 ? '%' : i % 3 === 1 ? 'bytes' : '1/s',
    kind: i % 3 === 2 ? 'rate' : 'gauge',
    scale: i % 3 === 0 ? 100 : i % 3 === 1 ? 4e9 : 500,
  };
});

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
function* samples() {
  const level = keys.map((k) => k.scale / 2);
  for (let s = 0; s < SECONDS; s++) {
    const t = START + s * 1000 + Math.floor(random() * 5); // collectors jitter by a few ms
    for (let i = 0; i < keys.length; i++) {
      level[i] = Math.max(0, level[i] + (random() - 0.5) * keys[i].scale * 0.02);
      yield [i, t, level[i]];
    }
  }
}

const fileBytes = (file) => [file, `${file}-wal`].reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0);

async function runStore(dir) {
  const store = await TimeSeriesStore.open({ file: join(dir, 'metrics.db') });
  const started = performance.now();
  let batch = [];
  let batchSecond = -1;
  let flushes = 0;
  for (const [i, t, v] of samples()) {
    const second = Math.floor((t - START) / 1000);
    if (second % opt.flushEvery === 0 && second !== batchSecond && batch.length > 0) {
      store.write(batch);
      await store.flush();
      flushes += 1;
      batch = [];
    }
    batchSecond = second;
    batch.push({ key: keys[i].key, unit: keys[i].unit, kind: keys[i].kind, t, v });
  }
  store.write(batch);
  await store.flush();
  flushes += 1;
  const seconds = (performance.now() - started) / 1000;
  store.checkpoint();
  const bytes = store.diskBytes();
  await store.close();
  // Per table (dbstat): what a steady state adds up to (raw kept 24 h, 1m 30 d, 1h 365 d).
  const db = new Database(join(dir, 'metrics.db'), { readonly: true });
  const tables = Object.fromEntries(
    db
      .prepare("SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'ts_%' GROUP BY name")
      .all()
      .map((row) => [row.name, row.bytes]),
  );
  db.close();
  return { bytes, tables, flushes, seconds: round(seconds, 1) };
}

function runBaseline(dir) {
  const file = join(dir, 'naive.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE samples (id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL)');
  db.exec('CREATE INDEX samples_series_t ON samples (series_id, t)');
  const insert = db.prepare('INSERT INTO samples (series_id, t, v) VALUES (?, ?, ?)');
  const insertMany = db.transaction((rows) => {
    for (const row of rows) insert.run(row[0] + 1, row[1], row[2]);
  });
  const started = performance.now();
  let rows = [];
  let total = 0;
  for (const row of samples()) {
    rows.push(row);
    if (rows.length === 10_000) {
      insertMany(rows);
      total += rows.length;
      rows = [];
    }
  }
  insertMany(rows);
  total += rows.length;
  const seconds = (performance.now() - started) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = fileBytes(file);
  db.close();
  return { bytes, rows: total, seconds: round(seconds, 1) };
}

const dir = makeTempDir();
try {
  const store = await runStore(dir);
  const perDay = (bytes) => round((bytes / MB) * (24 / opt.hours), 1);
  const mbPerDay = perDay(store.bytes);
  log(`store: ${mbPerDay} MB/day (${store.bytes} bytes after ${opt.hours} h, ${store.flushes} flushes in ${store.seconds}s)`);
  const tableMb = (name) => perDay(store.tables[name] ?? 0);
  // Steady state at default retention: 1 day of raw, 30 of minutes, 365 of hours.
  const steadyMb = round(tableMb('ts_raw') + 30 * tableMb('ts_1m') + 365 * tableMb('ts_1h') + tableMb('ts_series'), 0);
  log(`per day: raw ${tableMb('ts_raw')} MB, 1m ${tableMb('ts_1m')} MB, 1h ${tableMb('ts_1h')} MB; steady state ~${steadyMb} MB`);
  const baseline = opt.baseline ? runBaseline(dir) : undefined;
  const baselineMb = baseline ? perDay(baseline.bytes) : undefined;
  if (baseline) log(`naive: ${baselineMb} MB/day (${baseline.rows} rows in ${baseline.seconds}s)`);
  const ratio = baselineMb ? round(baselineMb / mbPerDay, 1) : null;
  const result = {
    name: 'metrics-disk',
    result: `${mbPerDay} MB/day (${opt.series} series at 1 Hz, ${opt.hours} h simulated)`,
    value: mbPerDay,
    unit: 'MB/day',
    baseline: baseline ? `naive one-row-per-sample table: ${baselineMb} MB/day` : 'skipped',
    ratio,
    target: '< 50 MB/day',
    steadyStateMb: steadyMb,
    met: mbPerDay < 50,
  };
  // `rows` too, so bench/lib/report.mjs (which renders result.rows) can show it.
  const rows = [
    {
      benchmark: `metrics disk: ${opt.series} series at 1 Hz, ${opt.hours} h (flush every ${opt.flushEvery} s)`,
      result: mbPerDay,
      unit: 'MB/day',
      baseline: baselineMb,
      ratio: ratio ?? undefined,
      target: result.target,
      met: result.met,
    },
  ];
  process.stdout.write(
    `${RESULT_PREFIX}${JSON.stringify({ ...result, rows, details: { store, perTableMbPerDay: { raw: tableMb('ts_raw'), minute: tableMb('ts_1m'), hour: tableMb('ts_1h') }, steadyStateMb: steadyMb, baseline, options: opt } })}\n`,
  );
} finally {
  removeTempDir(dir);
}
