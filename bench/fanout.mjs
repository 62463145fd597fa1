// SSE fan-out: N concurrent clients on /api/stream?types=command.completed of the real
// server while 10 pings/s are POSTed (so each client receives 10 events/s), versus a
// bare node:http broadcaster sending same-size frames at the same rate to the same N.
// Vigil runs on each database of `--database sqlite,postgres` (PostgreSQL: a fresh
// database per start on one throwaway server, default durability), with the demo fleet
// supervised (ports moved to --port-from); the baseline runs once per level and run;
// medians over `--runs`.
// Needs ~N+200 open files per process: run as `bash -c 'ulimit -n 65536; node bench/fanout.mjs'`
// where the hard limit allows it (Node raises the soft limit to the hard one by itself).
// Usage: node bench/fanout.mjs [--clients 1000,5000,10000] [--seconds 10] [--runs 3]
//   [--database sqlite,postgres] [--port-from 22700]
import { numberArgs } from './lib/args.mjs';
import { ClientPool } from './lib/client-pool.mjs';
import { DATABASE_LABEL, Databases, parseDatabases } from './lib/databases.mjs';
import { openFilesLimit } from './lib/fd-limit.mjs';
import { fleetConfigYaml, fleetStatus } from './lib/fleet.mjs';
import { getJson, keepAliveAgent, postPing, request } from './lib/http.mjs';
import { scrapeLoopDelay } from './lib/loop-delay.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { startBaselineSse, startVigil } from './lib/server.mjs';

const opt = numberArgs({
  clients: '1000,5000,10000',
  rate: 10,
  seconds: 10,
  warmupSeconds: 2,
  workers: 2,
  drainMs: 3000,
  runs: 3,
  database: 'sqlite,postgres',
  portFrom: 22700,
  profileDir: '',
});
const PATH = '/api/stream?types=command.completed';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const levels = String(opt.clients).split(',').map(Number);
const databases = parseDatabases(opt.database);
const fdLimit = openFilesLimit();
// The repo's config (its services on --port-from) plus room for every client: all of them are one user (the bench admin).
const VIGIL_CONFIG_YAML = `${await fleetConfigYaml({ portFrom: opt.portFrom })}\n# fanout benchmark: every client is the same user\nauth:\n  maxStreamsPerUser: ${Math.max(20_000, ...levels.map((n) => n + 100))}\n`;
const dbs = new Databases('fanout');

/** kind 'sqlite' | 'postgres' (Vigil on that database) | 'baseline'. */
async function measure(kind, n, frameBytes) {
  const nodeArgs = opt.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opt.profileDir}`] : [];
  const vigil = kind !== 'baseline';
  const database = vigil ? await dbs.forStart(kind) : undefined;
  let server;
  try {
    server = vigil
      ? await startVigil({ configYaml: VIGIL_CONFIG_YAML, env: database.env, nodeArgs, startTimeoutMs: 60_000 })
      : await startBaselineSse({ frameBytes, nodeArgs });
  } catch (error) {
    await database?.release();
    throw error;
  }
  const fire = vigil
    ? () => postPing(server.base, keepAliveAgent, server.headers)
    : () => request(`${server.base}/api/emit`, { method: 'POST', body: {}, agent: keepAliveAgent });
  let pool;
  const health = () => getJson(`${server.base}/api/health`, { timeoutMs: 30_000 });
  try {
    for (let i = 0; i < 20; i++) await fire(); // warm the write path before the idle reading
    await sleep(500);
    const idle = await health();
    pool = new ClientPool(opt.workers, { port: server.port, path: PATH, headers: server.headers });
    const connected = await pool.connect(n);
    const withClients = await health();
    log(
      `fanout ${kind} N=${n}: ${connected.ready} ready, ${connected.failed} failed in ${connected.ms} ms; server sees ${withClients.activeClients}`,
    );

    await paced({ ratePerSecond: opt.rate, maxCount: opt.rate * opt.warmupSeconds, maxSeconds: opt.warmupSeconds + 5, fire });
    await sleep(1000);
    if (vigil) await scrapeLoopDelay(server.base).catch(() => undefined); // opens the loop-delay window
    await pool.start(Date.now());
    let peakRss = 0;
    const sampler = setInterval(
      () =>
        getJson(`${server.base}/api/health`).then(
          (h) => {
            peakRss = Math.max(peakRss, h.rssBytes);
          },
          () => {},
        ),
      2000,
    );
    const drive = await paced({ ratePerSecond: opt.rate, maxCount: opt.rate * opt.seconds, maxSeconds: opt.seconds + 5, fire });
    // Window = the send period: what has arrived by its end counts toward msg/s, so a
    // server that falls behind shows up here; late arrivals still count for latency.
    const inWindow = await pool.mark();
    const loopDelay = vigil ? await scrapeLoopDelay(server.base).catch(() => undefined) : undefined;
    const fleet = vigil ? await fleetStatus(server).catch(() => undefined) : undefined;
    await sleep(opt.drainMs);
    clearInterval(sampler);
    const stats = await pool.stop();
    const after = await health().catch(() => ({ rssBytes: 0 }));
    peakRss = Math.max(peakRss, after.rssBytes);
    await pool.close();
    pool = undefined;

    const expected = n * drive.sent;
    const seconds = drive.sent / opt.rate;
    const result = {
      kind,
      clients: n,
      fleet,
      loopDelay,
      ready: connected.ready,
      failed: connected.failed,
      connectMs: connected.ms,
      eventsSent: drive.sent,
      postErrors: drive.errors.length,
      messages: stats.messages,
      expectedMessages: expected,
      deliveredFraction: round(stats.messages / expected, 4),
      messagesPerSecond: Math.round(inWindow / seconds),
      messagesInWindow: inWindow,
      deliveredWithDrainPerSecond: Math.round(stats.messages / seconds),
      p50Ms: stats.histogram.percentile(50),
      p99Ms: stats.histogram.percentile(99),
      maxMs: stats.histogram.percentile(100),
      frameBytes: stats.messages ? Math.round(stats.bytes / stats.messages) : frameBytes,
      droppedConnections: stats.dropped,
      rssIdleMiB: round(idle.rssBytes / 2 ** 20),
      rssWithClientsMiB: round(peakRss / 2 ** 20),
      memoryPerClientKiB: round((peakRss - idle.rssBytes) / n / 1024, 1),
    };
    log(
      `fanout ${kind} N=${n}: ${result.messagesPerSecond} msg/s in window (${round(result.deliveredFraction * 100, 2)}% of expected after ${opt.drainMs} ms drain), p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.memoryPerClientKiB} KiB/client` +
        (fleet ? `; fleet ${fleet.running}/${fleet.desired} running` : '') +
        (loopDelay ? `; loop delay p99 ${loopDelay.p99Ms} / max ${loopDelay.maxMs} ms` : ''),
    );
    return result;
  } finally {
    if (pool) await pool.close().catch(() => {});
    await server.stop();
    await database?.release();
  }
}

const runs = [];
const failures = [];
const rows = [];
const TARGET = '>= 70% of baseline';
try {
  for (const n of levels) {
    if (n + 200 > fdLimit) {
      log(`fanout: skipping N=${n}: open-files limit ${fdLimit} is too low (raise with ulimit -n)`);
      rows.push({ benchmark: `fanout N=${n}`, display: `skipped: ulimit -n ${fdLimit}`, target: TARGET, met: false });
      continue;
    }
    const level = [];
    for (let run = 1; run <= opt.runs; run++) {
      // The databases take turns going first; the baseline follows, its frames padded to Vigil's (SQLite's if it ran).
      const order = run % 2 === 1 ? databases : [...databases].reverse();
      const inRun = {};
      for (const kind of [...order, 'baseline']) {
        const frameBytes = (inRun.sqlite ?? inRun.postgres)?.frameBytes;
        if (kind === 'baseline' && frameBytes === undefined) break; // no Vigil frame size to pad to
        try {
          inRun[kind] = { ...(await measure(kind, n, frameBytes)), run };
          runs.push(inRun[kind]);
        } catch (error) {
          log(`fanout N=${n} ${kind} run ${run} failed: ${error.stack ?? error}`);
          failures.push({ clients: n, kind, run, error: String(error.message ?? error).slice(0, 300) });
        }
      }
      level.push(inRun);
    }
    rows.push(...levelRows(n, level));
  }
} finally {
  keepAliveAgent.destroy();
  dbs.stop();
}

/** Rows of one level: per metric, SQLite's and PostgreSQL's medians beside the baseline's (same runs). */
function levelRows(n, level) {
  const baselines = level.map((r) => r.baseline).filter(Boolean);
  const med = (list, pick) => round(median(list.map(pick)), 1);
  const ofBaselines = (pick) => (baselines.length ? med(baselines, pick) : undefined);
  const out = [];
  const per = databases.map((database) => {
    const mine = level.map((r) => r[database]).filter(Boolean);
    const failed = failures.filter((f) => f.clients === n && f.kind === database).length;
    // Ratio: the median of each run's Vigil / that run's baseline.
    const ratios = level.filter((r) => r[database] && r.baseline).map((r) => r[database].messagesPerSecond / r.baseline.messagesPerSecond);
    return {
      database,
      mine,
      ratio: ratios.length ? median(ratios) : undefined,
      label: `fanout N=${n} (${DATABASE_LABEL[database]}`,
      of: `median of ${mine.length}${failed ? `, ${failed} failed` : ''})`,
    };
  });
  for (const p of per) {
    if (p.mine.length === 0) {
      const error = failures.find((f) => f.clients === n && f.kind === p.database)?.error ?? 'no run';
      out.push({ benchmark: `${p.label})`, display: `error: ${error.slice(0, 80)}`, target: TARGET, met: false });
      continue;
    }
    const frames = med(p.mine, (r) => r.frameBytes);
    out.push({
      benchmark: `${p.label}, ${p.of}: delivered msg/s (${opt.rate} events/s per client, ~${frames} B frames)`,
      result: med(p.mine, (r) => r.messagesPerSecond),
      unit: 'msg/s',
      baseline: ofBaselines((r) => r.messagesPerSecond),
      ratio: p.ratio === undefined ? undefined : `${round(p.ratio * 100)}%`,
      target: TARGET,
      met: p.ratio !== undefined && p.ratio >= 0.7,
    });
  }
  for (const p of per.filter((x) => x.mine.length > 0)) {
    const p99 = med(p.mine, (r) => r.p99Ms);
    out.push({
      benchmark: `${p.label}, ${p.of}: delivery latency p50 / p99`,
      display: `${med(p.mine, (r) => r.p50Ms)} / ${p99} ms`,
      baselineDisplay: baselines.length ? `${ofBaselines((r) => r.p50Ms)} / ${ofBaselines((r) => r.p99Ms)} ms` : undefined,
      target: n >= 10_000 ? 'p99 < 100 ms' : '—',
      met: n >= 10_000 ? p99 < 100 : null,
    });
  }
  for (const p of per.filter((x) => x.mine.length > 0)) {
    out.push({
      benchmark: `${p.label}, ${p.of}: server memory per connection`,
      display: `${med(p.mine, (r) => r.memoryPerClientKiB)} KiB`,
      baselineDisplay: baselines.length ? `${ofBaselines((r) => r.memoryPerClientKiB)} KiB` : undefined,
      target: '—',
      met: null,
    });
  }
  return out;
}

printResult('fanout', rows, { runs, failures, options: opt, openFilesLimit: fdLimit, path: PATH });
process.exit(runs.length === 0 ? 1 : 0); // the pools and servers are gone; do not wait on stray handles
