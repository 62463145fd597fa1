// Fold throughput of the dashboard state: 1,000,000 realistic events (commands with
// their lifecycle and output, service and alert events; bench/lib/realistic-events.mjs)
// folded with foldDashboard's DashboardFold (the batch fold replay checkpoints,
// snapshots and the server's start-up use), against the pure reducer evolveDashboard
// (one event at a time, what the live client does) as the baseline in the same run.
// Both fold the same chunks of 100,000 events, generated outside the timed part (and
// their garbage collected before each timed part), in alternating order; the batch
// fold's timing includes building the final state. Median of 5 runs each.
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { numberArgs } from './lib/args.mjs';
import { realisticStoredEventChunks } from './lib/realistic-events.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const { DashboardFold, evolveDashboard, initialDashboardState } = require('@vigil/shared');
const opt = numberArgs({ events: 1_000_000, runs: 5 });
// The generator's garbage is not the fold's: collect it before each timed part.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

/** Runs `fold` on a chunk and adds its wall and CPU time to `totals`. */
function timed(totals, fold) {
  collectGarbage();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  fold();
  const cpu = process.cpuUsage(cpuBefore);
  totals.ms += performance.now() - started;
  totals.cpuMs += (cpu.user + cpu.system) / 1000;
}

function rates(events, totals) {
  return {
    seconds: round(totals.ms / 1000, 3),
    cpuSeconds: round(totals.cpuMs / 1000, 3),
    eventsPerSecond: Math.round(events / (totals.ms / 1000)),
    eventsPerCpuSecond: Math.round(events / (totals.cpuMs / 1000)),
  };
}

const runs = [];
for (let run = 1; run <= opt.runs; run++) {
  const reducer = { ms: 0, cpuMs: 0 };
  const batch = { ms: 0, cpuMs: 0 };
  let reduced = initialDashboardState();
  const fold = new DashboardFold(initialDashboardState());
  let batchState;
  let events = 0;
  let chunkIndex = 0;
  for (const chunk of realisticStoredEventChunks(opt.events)) {
    const last = events + chunk.length === opt.events;
    const foldReducer = () =>
      timed(reducer, () => {
        for (const event of chunk) reduced = evolveDashboard(reduced, event);
      });
    const foldBatch = () =>
      timed(batch, () => {
        for (const event of chunk) fold.add(event);
        if (last) batchState = fold.state();
      });
    // Alternate which goes first, so neither always runs on a warmer (or more crowded) core.
    if ((run + chunkIndex) % 2 === 0) {
      foldReducer();
      foldBatch();
    } else {
      foldBatch();
      foldReducer();
    }
    events += chunk.length;
    chunkIndex += 1;
  }
  if (reduced.position !== opt.events) throw new Error(`reducer folded to ${reduced.position}, expected ${opt.events}`);
  // The result is only worth timing if it is the reducer's.
  if (!isDeepStrictEqual(batchState, reduced)) throw new Error('the batch fold differs from the reducer');
  const r = {
    events,
    reducer: rates(events, reducer),
    batch: rates(events, batch),
    commands: reduced.commands.length,
    alerts: reduced.alerts.length,
  };
  runs.push(r);
  log(
    `replay-fold run ${run}: batch ${r.batch.eventsPerSecond}/s (${r.batch.eventsPerCpuSecond} per CPU-s), reducer ${r.reducer.eventsPerSecond}/s (${r.reducer.eventsPerCpuSecond} per CPU-s), same state`,
  );
}
const pick = (side, key) => median(runs.map((r) => r[side][key]));
const wall = pick('batch', 'eventsPerSecond');
const wallBase = pick('reducer', 'eventsPerSecond');
const cpu = pick('batch', 'eventsPerCpuSecond');
const cpuBase = pick('reducer', 'eventsPerCpuSecond');
const what = `${opt.events.toLocaleString('en')} realistic events through DashboardFold (foldDashboard), vs evolveDashboard one by one (median of ${opt.runs})`;
// On a shared machine the wall-clock rate includes time other processes held the core;
// events per CPU-second is what one free core would do.
printResult(
  'replay-fold',
  [
    {
      benchmark: `replay fold: ${what}, wall clock`,
      result: wall,
      unit: 'events/s',
      baseline: wallBase,
      ratio: round(wall / wallBase, 2),
      target: '>= 200,000 events/s',
      met: wall >= 200_000,
    },
    {
      benchmark: `replay fold: ${what}, per CPU-second of the fold`,
      result: cpu,
      unit: 'events/s',
      baseline: cpuBase,
      ratio: round(cpu / cpuBase, 2),
      target: '>= 200,000 events/s',
      met: cpu >= 200_000,
    },
  ],
  { runs, options: opt },
);
