// Metrics history queries: 7 days of 1-second samples for one series (plus
// --extra-series more, 0 by default, interleaved), then timed store.query() calls
// for 7d, 24h and 1h windows (maxPoints 600), each window ending at a random
// second of the last day (the 7d window spans all the data). Baseline, same run, same data: a naive one-row-per-sample
// table (rowid table + (series_id, t) index, own file) queried with
// SELECT t, v ... WHERE series_id = ? AND t >= ? AND t < ? and bucketed in JS.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { RESULT_PREFIX, log } from './lib/result.mjs';
import { percentile, round } from './lib/stats.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const storePath = fileURLToPath(new URL('../dist/api/metrics/tsdb/sqlite-time-series-store.js', import.meta.url));
if (!existsSync(storePath)) {
  process.stderr.write('dist/api is missing: run `npm run build:shared && npm run build:api` first\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { SqliteTimeSeriesStore: TimeSeriesStore } = require(storePath);
require('@nestjs/common').Logger.overrideLogger(['error']);

const opt = numberArgs({ days: 7, extraSeries: 0, queries: 200, baselineQueries: 20, maxPoints: 600, batch: 10_000 });
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const END = Math.floor(Date.now() / 60_000) * 60_000;
const START = END - opt.days * DAY;
const KEY = { source: 'host', metric: 'cpu' };
const keys = [KEY, ...Array.from({ length: opt.extraSeries }, (_, i) => ({ environment: 'staging', source: `svc-${i}`, metric: 'cpu' }))];

const value = (s, i) => 50 + 40 * Math.sin((s + i * 977) / 3000) + ((s * 7919 + i * 31) % 101) / 10;

async function load(store, naive) {
  const insert = naive.prepare('INSERT INTO samples (series_id, t, v) VALUES (?, ?, ?)');
  const insertMany = naive.transaction((rows) => {
    for (const r of rows) insert.run(r.series, r.t, r.v);
  });
  const total = (END - START) / 1000;
  let batch = [];
  let storeMs = 0;
  for (let s = 0; s < total; s++) {
    for (let i = 0; i < keys.length; i++)
      batch.push({ key: keys[i], series: i + 1, unit: '%', kind: 'gauge', t: START + s * 1000, v: value(s, i) });
    if (batch.length >= opt.batch || s === total - 1) {
      const started = performance.now();
      store.write(batch);
      await store.flush();
      storeMs += performance.now() - started;
      insertMany(batch);
      batch = [];
    }
  }
  return { samples: total * keys.length, storeLoadSeconds: round(storeMs / 1000, 1) };
}

function naiveQuery(select, from, to, maxPoints) {
  // Same bucketing rule as the store's raw tier: step = whole seconds, epoch-aligned,
  // bucket starts in [from, to), each bucket whole.
  const step = Math.max(1, Math.ceil((to - from) / maxPoints / 1000)) * 1000;
  const start = Math.ceil(from / step) * step;
  const buckets = new Map();
  for (const [t, v] of select.all(1, start, Math.ceil(to / step) * step)) {
    const b = start + Math.floor((t - start) / step) * step;
    const agg = buckets.get(b);
    if (agg === undefined) buckets.set(b, [v, v, v, 1]);
    else {
      agg[0] += v;
      if (v < agg[1]) agg[1] = v;
      if (v > agg[2]) agg[2] = v;
      agg[3] += 1;
    }
  }
  return [...buckets].map(([b, [sum, min, max, count]]) => [b, sum / count, min, max]);
}

async function timeQueries(count, range, run) {
  const times = [];
  let points = 0;
  let seed = 7;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    // A random second of the last day as the end, as far as the data allows (a 7d window over 7 days of data: the end).
    const slack = Math.min(DAY, END - START - range);
    const to = END - (seed % (Math.floor(slack / 1000) + 1)) * 1000;
    const from = to - range;
    const started = performance.now();
    points = (await run(from, to)).length;
    times.push(performance.now() - started);
  }
  return { p50: round(percentile(times, 50), 2), p99: round(percentile(times, 99), 2), points };
}

const dir = makeTempDir();
try {
  const store = await TimeSeriesStore.open({ file: join(dir, 'metrics.db') });
  const naive = new Database(join(dir, 'naive.db'));
  naive.pragma('journal_mode = WAL');
  naive.pragma('synchronous = NORMAL');
  naive.exec('CREATE TABLE samples (id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL)');
  naive.exec('CREATE INDEX samples_series_t ON samples (series_id, t)');
  const loaded = await load(store, naive);
  log(`loaded ${loaded.samples} samples (${keys.length} series) in ${loaded.storeLoadSeconds}s (store)`);

  const ranges = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY };
  const perRange = {};
  for (const [label, range] of Object.entries(ranges)) {
    let tier;
    const stats = await timeQueries(opt.queries, range, async (from, to) => {
      const result = await store.query({ key: KEY, from, to, maxPoints: opt.maxPoints });
      tier = result.tier;
      return result.points;
    });
    perRange[label] = { ...stats, tier };
    log(`store ${label}: p50 ${stats.p50} ms, p99 ${stats.p99} ms (${tier}, ${stats.points} points)`);
  }
  const select = naive.prepare('SELECT t, v FROM samples WHERE series_id = ? AND t >= ? AND t < ?').raw(true);
  const baseline = await timeQueries(opt.baselineQueries, 7 * DAY, (from, to) => naiveQuery(select, from, to, opt.maxPoints));
  log(`naive 7d: p50 ${baseline.p50} ms, p99 ${baseline.p99} ms (${baseline.points} points)`);
  await store.close();
  naive.close();

  const p99 = perRange['7d'].p99;
  const ratio = round(baseline.p50 / perRange['7d'].p50, 1);
  const target = 'p99 < 50 ms (7d, maxPoints 600)';
  const rows = [
    ...Object.entries(perRange).map(([label, r]) => ({
      benchmark: `metrics history: ${label} query, ${r.tier} tier, p99 (p50 ${r.p50} ms)`,
      result: r.p99,
      unit: 'ms',
      ...(label === '7d' ? { baseline: baseline.p99, ratio: round(baseline.p99 / p99, 1), target, met: p99 < 50 } : {}),
    })),
  ];
  const line = {
    name: 'metrics-history',
    result: `7d p99 ${p99} ms, p50 ${perRange['7d'].p50} ms (${perRange['7d'].tier} tier); 24h p99 ${perRange['24h'].p99} ms; 1h p99 ${perRange['1h'].p99} ms`,
    value: p99,
    unit: 'ms',
    baseline: `naive SELECT t, v over raw rows + JS bucketing: 7d p50 ${baseline.p50} ms, p99 ${baseline.p99} ms (${opt.baselineQueries} queries)`,
    ratio,
    target,
    met: p99 < 50,
    rows,
    details: { perRange, baseline, loaded, series: keys.length, options: opt },
  };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(line)}\n`);
} finally {
  removeTempDir(dir);
}
