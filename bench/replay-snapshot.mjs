// Snapshot at an arbitrary time in a 1,000,000-event log: LogReplaySource.snapshotAt
// (nearest dashboard checkpoint at or before T, then at most one interval of events
// folded, plus the latest sample of each source from the time-series store) at 20
// random times, median and p90. Baseline (same run): folding the log from position 1
// up to T, as a replay without checkpoints would (median of 3 of those times).
// The log is written with direct batched inserts through the store's hash chain
// (lib/event-log-loader.mjs), events 50 ms apart (~14 h), plus 1 Hz samples of 3
// sources over the same span; then the checkpoints are built as the server would.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { numberArgs } from './lib/args.mjs';
import { loadRealisticLog } from './lib/event-log-loader.mjs';
import { buildCheckpoints, CheckpointStore, LogReplaySource, TimeSeriesStore, writeSamples } from './lib/replay.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, percentile, round } from './lib/stats.mjs';
import { quietNestLogger, SqliteEventStore } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const require = createRequire(import.meta.url);
const { evolveDashboard, initialDashboardState } = require('@vigil/shared');
const opt = numberArgs({ events: 1_000_000, stepMs: 50, every: 2000, samples: 20, baselines: 3 });
quietNestLogger();

/** The dashboard state without its metrics (samples are compared apart from the folded events). */
const withoutMetrics = (state) => Object.fromEntries(Object.entries(state).filter(([key]) => key !== 'metrics'));

const dir = makeTempDir();
const now = Date.now();
const startMs = now - opt.events * opt.stepMs - 60_000;
let started = performance.now();
const loaded = await loadRealisticLog(join(dir, 'events.db'), { count: opt.events, startMs, stepMs: opt.stepMs });
const loadSeconds = (performance.now() - started) / 1000;
log(`replay-snapshot: wrote ${loaded.count} events (${loaded.firstTime} .. ${loaded.lastTime}) in ${round(loadSeconds, 1)} s`);

const store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
const checkpoints = await CheckpointStore.open({ file: join(dir, 'projections.db') });
const tsdb = await TimeSeriesStore.open({ file: join(dir, 'metrics.db') });
started = performance.now();
const sampleCount = await writeSamples(tsdb, { fromMs: startMs, toMs: startMs + opt.events * opt.stepMs });
log(`replay-snapshot: wrote ${sampleCount} samples in ${round((performance.now() - started) / 1000, 1)} s`);

started = performance.now();
const build = await buildCheckpoints(store, checkpoints, { every: opt.every });
const buildSeconds = (performance.now() - started) / 1000;
const checkpointBytes =
  statSync(join(dir, 'projections.db')).size + (statSync(join(dir, 'projections.db-wal'), { throwIfNoEntry: false })?.size ?? 0);
log(
  `replay-snapshot: built ${build.written} checkpoints over ${build.folded} events in ${round(buildSeconds, 1)} s (${round(checkpointBytes / 1e6, 1)} MB)`,
);

const source = new LogReplaySource(store, checkpoints, tsdb.sampleReader());
const times = Array.from(
  { length: opt.samples },
  (_, i) => new Date(startMs + Math.floor(((i + Math.random()) / opt.samples) * opt.events * opt.stepMs)),
);
const snapshotMs = [];
const snapshots = [];
for (const at of times) {
  const t0 = performance.now();
  const snapshot = await source.snapshotAt(at);
  snapshotMs.push(performance.now() - t0);
  snapshots.push(snapshot);
}
log(
  `replay-snapshot: snapshotAt median ${round(median(snapshotMs), 1)} ms, p90 ${round(percentile(snapshotMs, 90), 1)} ms, max ${round(Math.max(...snapshotMs), 1)} ms`,
);

// Baseline: fold from the start, for a few of the same times (spread over the log), and check equality.
const baselineMs = [];
for (let i = 0; i < opt.baselines; i++) {
  const index = Math.floor(((i + 0.5) / opt.baselines) * times.length);
  const target = await store.positionAt(times[index]);
  const t0 = performance.now();
  let state = initialDashboardState();
  for await (const event of store.read(1, { toPosition: target })) state = evolveDashboard(state, event);
  baselineMs.push(performance.now() - t0);
  const fromCheckpoint = withoutMetrics(snapshots[index].state);
  const folded = withoutMetrics(state);
  // Compared as JSON values: a checkpoint is stored as JSON, which drops undefined fields, so a
  // field set after it comes last in key order where the full fold kept its first place.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(fromCheckpoint)), JSON.parse(JSON.stringify(folded))))
    throw new Error(`snapshot at ${times[index].toISOString()} differs from the full fold`);
  log(`replay-snapshot: baseline fold of ${target} events: ${round(baselineMs.at(-1), 0)} ms (same state as the snapshot)`);
}

await store.close();
await checkpoints.close();
await tsdb.close();
removeTempDir(dir);

const result = round(median(snapshotMs), 1);
const baseline = round(median(baselineMs), 1);
printResult(
  'replay-snapshot',
  [
    {
      benchmark: `replay snapshot at a random time in a ${opt.events.toLocaleString('en')}-event log (checkpoint every ${opt.every}; median of ${opt.samples}, p90 ${round(percentile(snapshotMs, 90), 1)} ms)`,
      result,
      unit: 'ms',
      baseline,
      ratio: round(baseline / result, 1),
      target: '< 200 ms',
      met: result < 200,
    },
    {
      benchmark: `replay checkpoints: build over ${opt.events.toLocaleString('en')} events (${build.written} checkpoints, ${round(checkpointBytes / 1e6, 1)} MB)`,
      result: round(buildSeconds, 1),
      unit: 's',
      target: 'report',
      met: true,
    },
  ],
  {
    snapshotMs: snapshotMs.map((ms) => round(ms, 1)),
    baselineMs: baselineMs.map((ms) => round(ms, 1)),
    loadSeconds: round(loadSeconds, 1),
    buildSeconds: round(buildSeconds, 1),
    checkpointBytes,
    samples: sampleCount,
    options: opt,
  },
);
