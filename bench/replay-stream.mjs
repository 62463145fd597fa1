// Replay delivery rate: GET /api/replay at speed=max of a window holding 100,000
// realistic events plus their metric samples (1 Hz, 3 sources, ~30,000 samples)
// to one SSE client of the real server; events/s (and items/s) from the request to
// `replay.end`, median of 3. Baseline (same run): the same 100,000 events through
// /api/stream's catch-up (Last-Event-ID before the window), the live stream's
// fastest path for old events. Data is written before the server starts: the log
// with direct batched inserts through the store's hash chain, events 100 ms apart
// ending a minute ago (so the raw metrics tier still holds them).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { numberArgs } from './lib/args.mjs';
import { openSseWith } from './lib/auth.mjs';
import { loadRealisticLog } from './lib/event-log-loader.mjs';
import { TimeSeriesStore, writeSamples } from './lib/replay.mjs';
import { log, printResult } from './lib/result.mjs';
import { startVigil } from './lib/server.mjs';
import { median, round } from './lib/stats.mjs';
import { quietNestLogger } from './lib/store.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const opt = numberArgs({ events: 100_000, stepMs: 100, runs: 3 });
quietNestLogger();

const dataDir = makeTempDir('vigil-bench-replay-');
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
const startMs = Date.now() - opt.events * opt.stepMs - 60_000;
const endMs = startMs + (opt.events - 1) * opt.stepMs;
const loaded = await loadRealisticLog(join(dataDir, 'events.db'), { count: opt.events, startMs, stepMs: opt.stepMs });
const tsdb = await TimeSeriesStore.open({ file: join(dataDir, 'metrics.db') });
const samples = await writeSamples(tsdb, { fromMs: startMs, toMs: endMs });
await tsdb.close();
log(`replay-stream: wrote ${loaded.count} events and ${samples} samples`);

const server = await startVigil({
  dataDir,
  env: { VIGIL_SUPERVISOR: 'off' },
  startTimeoutMs: 180_000,
  configYaml: 'environments:\n  - name: production\n  - name: staging\n',
});

// The server folds the checkpoints in the background after start: measure after that.
const settleBy = Date.now() + 180_000;
while (!/\[Checkpoints\].*folded \d+ events/.test(server.output()) && Date.now() < settleBy) await new Promise((r) => setTimeout(r, 200));

/** Reads one SSE response to its end; resolves with counts and seconds. */
function readAll(path, stopAfterEvents = Infinity) {
  return new Promise((resolve, reject) => {
    let events = 0;
    let samplesSeen = 0;
    let end;
    const started = performance.now();
    let stream;
    const finish = () => resolve({ events, samples: samplesSeen, end, seconds: (performance.now() - started) / 1000 });
    openSseWith(`${server.base}${path}`, {
      headers: server.headers,
      onMessage: (data, id) => {
        if (id !== undefined) {
          events += 1;
          if (events >= stopAfterEvents) {
            stream?.close();
            finish();
          }
        } else if (data.startsWith('{"type":"metrics"')) samplesSeen += 1;
        else if (data.includes('"type":"replay.end"')) end = JSON.parse(data);
      },
      onClose: () => (events >= stopAfterEvents ? undefined : finish()),
    }).then((s) => {
      stream = s;
    }, reject);
  });
}

const from = new Date(startMs - 1).toISOString();
const to = new Date(endMs).toISOString();
const replays = [];
const catchUps = [];
try {
  for (let run = 1; run <= opt.runs; run++) {
    const replay = await readAll(`/api/replay?from=${from}&to=${to}&speed=max`);
    if (replay.events !== opt.events || replay.end?.events !== opt.events)
      throw new Error(`replay delivered ${replay.events} events (end says ${JSON.stringify(replay.end)})`);
    replays.push({
      ...replay,
      eventsPerSecond: Math.round(replay.events / replay.seconds),
      itemsPerSecond: Math.round((replay.events + replay.samples) / replay.seconds),
    });
    log(
      `replay-stream run ${run}: ${replay.events} events + ${replay.samples} samples in ${round(replay.seconds, 2)} s = ${Math.round(replay.events / replay.seconds)} events/s`,
    );
    const catchUp = await readAll('/api/stream?lastEventId=0', opt.events);
    catchUps.push({ ...catchUp, eventsPerSecond: Math.round(catchUp.events / catchUp.seconds) });
    log(
      `replay-stream run ${run}: catch-up of ${catchUp.events} events in ${round(catchUp.seconds, 2)} s = ${Math.round(catchUp.events / catchUp.seconds)} events/s`,
    );
  }
} finally {
  await server.stop();
  removeTempDir(dataDir);
}

const result = median(replays.map((r) => r.eventsPerSecond));
const baseline = median(catchUps.map((r) => r.eventsPerSecond));
const items = median(replays.map((r) => r.itemsPerSecond));
printResult(
  'replay-stream',
  [
    {
      benchmark: `replay stream: speed=max, ${opt.events.toLocaleString('en')} events + ${replays[0].samples.toLocaleString('en')} metric samples to one client (median of ${opt.runs}; ${items.toLocaleString('en')} items/s)`,
      result,
      unit: 'events/s',
      baseline,
      ratio: round(result / baseline, 2),
      target: 'report (baseline: /api/stream catch-up of the same events)',
      met: true,
    },
  ],
  { replays, catchUps, options: opt },
);
