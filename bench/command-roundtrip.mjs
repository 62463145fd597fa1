// Command round trip: POST /api/commands (ping) at 200/s over keep-alive, timed until
// its command.completed arrives on one SSE connection (types=command.completed).
// Each run starts a fresh server per database (`--database sqlite,postgres`: SQLite in
// its data dir; PostgreSQL: a fresh database on one throwaway server, default
// durability) and fleet setting (`--fleet on,off`: on = the repo's demo services
// supervised by the server, as the target asks; off = VIGIL_SUPERVISOR=off); medians
// over `--runs`. Beside the latencies: the server's event-loop delay over the
// measured window, from its own GET /metrics. Each run also measures the disk's bound
// (lib/bare-commit-chain.mjs): three group-committed fsyncs in sequence per command on a
// bare better-sqlite3 file, at the same rate, as the SQLite rows' baseline.
// Usage: node bench/command-roundtrip.mjs [--rate 200] [--count 2000] [--warmup 200]
//   [--runs 3] [--database sqlite,postgres] [--fleet on] [--port-from 22600]
import { numberArgs } from './lib/args.mjs';
import { bareCommitChain } from './lib/bare-commit-chain.mjs';
import { DATABASE_LABEL, Databases, parseDatabases } from './lib/databases.mjs';
import { FLEET_INSTANCES, fleetConfigYaml, fleetStatus, waitForFleet } from './lib/fleet.mjs';
import { keepAliveAgent, postPing } from './lib/http.mjs';
import { scrapeLoopDelay } from './lib/loop-delay.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, percentile, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';
import { openSse } from './lib/sse-client.mjs';

const opt = numberArgs({
  rate: 200,
  count: 2_000,
  seconds: 10,
  warmup: 200,
  drainMs: 5_000,
  runs: 3,
  database: 'sqlite,postgres',
  fleet: 'on',
  portFrom: 22600,
  sloMs: 20,
  profileDir: '',
});
const databases = parseDatabases(opt.database);
const fleets = [
  ...new Set(
    String(opt.fleet)
      .split(',')
      .map((s) => s.trim()),
  ),
];
if (fleets.length === 0 || fleets.some((f) => f !== 'on' && f !== 'off'))
  throw new Error(`--fleet takes on, off or on,off; got ${opt.fleet}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// on: the repo's services supervised (ports moved to --port-from); off: VIGIL_SUPERVISOR=off.
const FLEET_LABEL = { on: `demo fleet on (${FLEET_INSTANCES} instances)`, off: 'demo fleet off' };

/** One server start: warm-up, then `count` pings at `rate`; the latencies and the loop delay. */
async function measure(database, fleet, run, dbs) {
  const { env, release } = await dbs.forStart(database);
  const configYaml = await fleetConfigYaml({ portFrom: opt.portFrom });
  const server = await startVigil({
    configYaml,
    env: { ...env, ...(fleet === 'off' ? { VIGIL_SUPERVISOR: 'off' } : {}) },
    nodeArgs: opt.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opt.profileDir}`] : [],
    startTimeoutMs: 60_000,
  });
  const sentAt = new Map(); // commandId -> POST send time, once the 202 has told us the id
  const completedAt = new Map(); // commandId -> receipt time, when completed beat the 202 back
  const latencies = [];
  let measuring = false;
  let stream;
  try {
    const fleetBefore = fleet === 'on' ? await waitForFleet(server) : await fleetStatus(server);
    await new Promise((resolve, reject) => {
      let first = true;
      stream = openSse({
        port: server.port,
        path: '/api/stream?types=command.completed',
        headers: server.headers,
        onMessage: (data, id) => {
          if (first) {
            first = false;
            resolve();
            return;
          }
          if (id === undefined) return;
          const now = performance.now();
          let commandId;
          try {
            commandId = JSON.parse(data).data?.commandId;
          } catch {
            /* not an event frame */
          }
          if (commandId === undefined) return; // anything else on the stream (a notice, a closing reason)
          const sent = sentAt.get(commandId);
          if (sent === undefined) {
            completedAt.set(commandId, now);
            return;
          }
          sentAt.delete(commandId);
          if (measuring) latencies.push(now - sent);
        },
        onClose: (error) => reject(error ?? new Error('stream closed')),
      });
    });

    const fire = async () => {
      const sent = performance.now();
      const { commandId } = await postPing(server.base, keepAliveAgent, server.headers);
      const seen = completedAt.get(commandId);
      if (seen === undefined) sentAt.set(commandId, sent);
      else {
        completedAt.delete(commandId);
        if (measuring) latencies.push(seen - sent);
      }
    };

    await paced({ ratePerSecond: opt.rate, maxCount: opt.warmup, maxSeconds: 10, fire });
    await sleep(500);
    await scrapeLoopDelay(server.base); // opens the loop-delay window (each scrape resets it)
    measuring = true;
    const drive = await paced({ ratePerSecond: opt.rate, maxCount: opt.count, maxSeconds: opt.seconds + 5, fire });
    const loopDelay = await scrapeLoopDelay(server.base); // the send period, as the latencies
    const deadline = Date.now() + opt.drainMs;
    while (latencies.length < drive.sent - drive.errors.length && Date.now() < deadline) await sleep(50);
    measuring = false;
    const fleetAfter = await fleetStatus(server).catch(() => undefined);

    const at = (p) => round(percentile(latencies, p), 2);
    const result = {
      run,
      database,
      fleet,
      fleetBefore,
      fleetAfter,
      sent: drive.sent,
      completed: latencies.length,
      errorCount: drive.errors.length,
      errors: drive.errors.slice(0, 5),
      achievedRate: Math.round(drive.sent / drive.seconds),
      p50: at(50),
      p90: at(90),
      p99: at(99),
      maxMs: round(Math.max(...latencies), 2),
      overSlo: latencies.filter((ms) => ms > opt.sloMs).length,
      loopDelay,
    };
    log(
      `roundtrip run ${run} ${DATABASE_LABEL[database]}, fleet ${fleet}${fleetAfter ? ` (${fleetAfter.running}/${fleetAfter.desired} running)` : ''}: ` +
        `${result.completed}/${result.sent} completed, ${result.errorCount} errors, ${result.achievedRate}/s, ` +
        `p50 ${result.p50} / p90 ${result.p90} / p99 ${result.p99} / max ${result.maxMs} ms, ${result.overSlo} over ${opt.sloMs} ms; ` +
        (loopDelay ? `loop delay p99 ${loopDelay.p99Ms} / max ${loopDelay.maxMs} ms` : 'no loop delay on /metrics'),
    );
    return result;
  } finally {
    stream?.destroy?.();
    await server.stop();
    await release();
  }
}

const dbs = new Databases('roundtrip');
const results = [];
const failures = [];
const bare = [];
try {
  for (let run = 1; run <= opt.runs; run++) {
    // Which database goes first alternates from run to run.
    const order = run % 2 === 1 ? databases : [...databases].reverse();
    for (const database of order) {
      for (const fleet of fleets) {
        try {
          results.push(await measure(database, fleet, run, dbs));
        } catch (error) {
          log(`roundtrip run ${run} ${DATABASE_LABEL[database]}, fleet ${fleet} failed: ${error.stack ?? error}`);
          failures.push({ run, database, fleet, error: String(error.message ?? error).slice(0, 300) });
        }
      }
    }
    const bound = await bareCommitChain({ rate: opt.rate, count: opt.count, warmup: opt.warmup });
    log(`roundtrip run ${run} bare commit chain: p50 ${bound.p50} / p90 ${bound.p90} / p99 ${bound.p99} / max ${bound.maxMs} ms`);
    bare.push(bound);
  }
} finally {
  keepAliveAgent.destroy();
  dbs.stop();
}

const rows = [];
const summaries = [];
const bareMed = (pick) => round(median(bare.map(pick)), 2);
const bound =
  bare.length > 0
    ? { p50: bareMed((b) => b.p50), p90: bareMed((b) => b.p90), p99: bareMed((b) => b.p99), maxMs: bareMed((b) => b.maxMs) }
    : undefined;
for (const fleet of fleets) {
  for (const database of databases) {
    const mine = results.filter((r) => r.database === database && r.fleet === fleet);
    const label = `${DATABASE_LABEL[database]}, ${FLEET_LABEL[fleet]}`;
    const failed = failures.filter((f) => f.database === database && f.fleet === fleet).length;
    if (mine.length === 0) {
      rows.push({
        benchmark: `command round trip, ${label}`,
        display: `error: ${failures.find((f) => f.database === database && f.fleet === fleet)?.error.slice(0, 80) ?? 'no run'}`,
        target: `p99 < ${opt.sloMs} ms`,
        met: false,
      });
      continue;
    }
    const med = (pick) => round(median(mine.map(pick)), 2);
    const summary = {
      database,
      fleet,
      runs: mine.length,
      p50: med((r) => r.p50),
      p90: med((r) => r.p90),
      p99: med((r) => r.p99),
      maxMs: med((r) => r.maxMs),
      overSlo: med((r) => r.overSlo),
      sent: med((r) => r.sent),
      allCompleted: mine.every((r) => r.completed === r.sent && r.errorCount === 0),
      fleetRunning: mine.map((r) => (r.fleetAfter ? `${r.fleetAfter.running}/${r.fleetAfter.desired}` : '?')),
      loopDelay: mine.every((r) => r.loopDelay)
        ? { p50Ms: med((r) => r.loopDelay.p50Ms), p99Ms: med((r) => r.loopDelay.p99Ms), maxMs: med((r) => r.loopDelay.maxMs) }
        : undefined,
    };
    summaries.push(summary);
    const sqlite = database === 'postgres' ? summaries.find((s) => s.database === 'sqlite' && s.fleet === fleet) : undefined;
    const of = `median of ${mine.length}${failed ? `, ${failed} failed` : ''}`;
    rows.push({
      benchmark: `command round trip, ${label}: POST ping -> command.completed on SSE (${opt.rate}/s, ${summary.sent} commands; ${of})`,
      display: `p50 ${summary.p50} / p90 ${summary.p90} / p99 ${summary.p99} / max ${summary.maxMs} ms; ${summary.overSlo} over ${opt.sloMs} ms`,
      baselineDisplay: sqlite
        ? `SQLite p50 ${sqlite.p50} / p99 ${sqlite.p99} ms`
        : bound
          ? `3 bare fsync'd commits in sequence: p50 ${bound.p50} / p99 ${bound.p99} ms`
          : undefined,
      ratio: sqlite ? `p99 ${round(summary.p99 / sqlite.p99, 2)}x` : bound ? `p99 ${round(summary.p99 / bound.p99, 2)}x` : undefined,
      target: `p99 < ${opt.sloMs} ms`,
      met: summary.p99 < opt.sloMs && summary.allCompleted,
    });
    rows.push({
      benchmark: `command round trip, ${label}: server event-loop delay in the send period (GET /metrics, above its 10 ms sampler; ${of})`,
      display: summary.loopDelay
        ? `p50 ${summary.loopDelay.p50Ms} / p99 ${summary.loopDelay.p99Ms} / max ${summary.loopDelay.maxMs} ms`
        : 'not on /metrics',
      target: 'context',
      met: null,
    });
  }
}
if (bound) {
  rows.push({
    benchmark: `command round trip: the disk's bound, 3 group-committed commits in sequence per command on bare better-sqlite3 (WAL, synchronous=FULL), ${opt.rate}/s, ${opt.count} commands (median of ${bare.length})`,
    display: `p50 ${bound.p50} / p90 ${bound.p90} / p99 ${bound.p99} / max ${bound.maxMs} ms`,
    target: 'context',
    met: null,
  });
}
printResult('command-roundtrip', rows, { runs: results, failures, summaries, bare, options: opt });
process.exit(failures.length > 0 && results.length === 0 ? 1 : 0); // the SSE sockets are gone with the servers; do not wait for their close
