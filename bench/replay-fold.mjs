// Fold throughput of the dashboard reducer: 1,000,000 realistic events (commands
// with their lifecycle and output, service and alert events; bench/lib/realistic-events.mjs)
// folded with evolveDashboard, the reducer replay, snapshots and the web app share.
// Events are generated in chunks of 100,000 outside the timed part (and their garbage
// collected before each timed chunk). Median of 3 runs.
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { numberArgs } from './lib/args.mjs';
import { realisticStoredEventChunks } from './lib/realistic-events.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';

const require = createRequire(import.meta.url);
const { evolveDashboard, initialDashboardState } = require('@vigil/shared');
const opt = numberArgs({ events: 1_000_000, runs: 3 });
// The generator's garbage is not the fold's: collect it before each timed chunk.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

const runs = [];
for (let run = 1; run <= opt.runs; run++) {
  let state = initialDashboardState();
  let folded = 0;
  let foldMs = 0;
  let cpuMs = 0;
  for (const chunk of realisticStoredEventChunks(opt.events)) {
    collectGarbage();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    for (const event of chunk) state = evolveDashboard(state, event);
    const cpu = process.cpuUsage(cpuBefore);
    foldMs += performance.now() - started;
    cpuMs += (cpu.user + cpu.system) / 1000;
    folded += chunk.length;
  }
  if (state.position !== opt.events) throw new Error(`folded to ${state.position}, expected ${opt.events}`);
  const eventsPerSecond = Math.round(folded / (foldMs / 1000));
  const eventsPerCpuSecond = Math.round(folded / (cpuMs / 1000));
  runs.push({ events: folded, seconds: round(foldMs / 1000, 3), cpuSeconds: round(cpuMs / 1000, 3), eventsPerSecond, eventsPerCpuSecond, commands: state.commands.length, alerts: state.alerts.length });
  log(`replay-fold run ${run}: ${folded} events in ${round(foldMs / 1000, 2)} s (${round(cpuMs / 1000, 2)} s of CPU) = ${eventsPerSecond}/s, ${eventsPerCpuSecond} per CPU-second`);
}
const wall = median(runs.map((r) => r.eventsPerSecond));
const cpu = median(runs.map((r) => r.eventsPerCpuSecond));
const what = `${opt.events.toLocaleString('en')} realistic events through evolveDashboard (median of ${opt.runs})`;
// On a shared machine the wall-clock rate includes time other processes held the core;
// events per CPU-second is what one free core would do.
printResult('replay-fold', [
  { benchmark: `replay fold: ${what}, wall clock`, result: wall, unit: 'events/s', target: '>= 200,000 events/s', met: wall >= 200_000 },
  { benchmark: `replay fold: ${what}, per CPU-second of the fold`, result: cpu, unit: 'events/s', target: '>= 200,000 events/s', met: cpu >= 200_000 },
], { runs, options: opt });
