// SSE fan-out: N concurrent clients on /api/stream?types=command.completed of the real
// server while 10 pings/s are POSTed (so each client receives 10 events/s), versus a
// bare node:http broadcaster sending same-size frames at the same rate to the same N.
// Needs ~N+200 open files per process: run as `bash -c 'ulimit -n 65536; node bench/fanout.mjs'`
// where the hard limit allows it (Node raises the soft limit to the hard one by itself).
import { numberArgs } from './lib/args.mjs';
import { ClientPool } from './lib/client-pool.mjs';
import { openFilesLimit } from './lib/fd-limit.mjs';
import { getJson, keepAliveAgent, postPing, request } from './lib/http.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { round } from './lib/stats.mjs';
import { REPO_CONFIG_YAML, startBaselineSse, startVigil } from './lib/server.mjs';

const opt = numberArgs({ clients: '1000,5000,10000', rate: 10, seconds: 10, warmupSeconds: 2, workers: 2, drainMs: 3000, profileDir: '' });
const PATH = '/api/stream?types=command.completed';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const levels = String(opt.clients).split(',').map(Number);
const fdLimit = openFilesLimit();
// The repo's config plus room for every client: all of them are one user (the bench admin).
const VIGIL_CONFIG_YAML = `${REPO_CONFIG_YAML}\n# fanout benchmark: every client is the same user\nauth:\n  maxStreamsPerUser: ${Math.max(20_000, ...levels.map((n) => n + 100))}\n`;

async function measure(kind, n, frameBytes) {
  const nodeArgs = opt.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opt.profileDir}`] : [];
  const server =
    kind === 'vigil' ? await startVigil({ configYaml: VIGIL_CONFIG_YAML, nodeArgs }) : await startBaselineSse({ frameBytes, nodeArgs });
  const fire =
    kind === 'vigil'
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
      `fanout ${kind} N=${n}: ${result.messagesPerSecond} msg/s in window (${round(result.deliveredFraction * 100, 2)}% of expected after ${opt.drainMs} ms drain), p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, ${result.memoryPerClientKiB} KiB/client`,
    );
    return result;
  } finally {
    if (pool) await pool.close().catch(() => {});
    await server.stop();
  }
}

const runs = [];
const rows = [];
for (const n of levels) {
  if (n + 200 > fdLimit) {
    log(`fanout: skipping N=${n}: open-files limit ${fdLimit} is too low (raise with ulimit -n)`);
    rows.push({ benchmark: `fanout N=${n}`, display: `skipped: ulimit -n ${fdLimit}`, target: '>= 70% of baseline', met: false });
    continue;
  }
  let vigil;
  let baseline;
  try {
    vigil = await measure('vigil', n);
    baseline = await measure('baseline', n, vigil.frameBytes);
  } catch (error) {
    log(`fanout N=${n} failed: ${error.stack ?? error}`);
    rows.push({
      benchmark: `fanout N=${n}`,
      display: `error: ${String(error.message ?? error).slice(0, 80)}`,
      target: '>= 70% of baseline',
      met: false,
    });
    continue;
  }
  runs.push(vigil, baseline);
  const ratio = vigil.messagesPerSecond / baseline.messagesPerSecond;
  rows.push(
    {
      benchmark: `fanout N=${n}: delivered msg/s (${opt.rate} events/s per client, ~${vigil.frameBytes} B frames)`,
      result: vigil.messagesPerSecond,
      unit: 'msg/s',
      baseline: baseline.messagesPerSecond,
      ratio: `${round(ratio * 100)}%`,
      target: '>= 70% of baseline',
      met: ratio >= 0.7,
    },
    {
      benchmark: `fanout N=${n}: delivery latency p50 / p99`,
      display: `${vigil.p50Ms} / ${vigil.p99Ms} ms`,
      baselineDisplay: `${baseline.p50Ms} / ${baseline.p99Ms} ms`,
      target: n >= 10_000 ? 'p99 < 100 ms' : '—',
      met: n >= 10_000 ? vigil.p99Ms < 100 : null,
    },
    {
      benchmark: `fanout N=${n}: server memory per connection`,
      display: `${vigil.memoryPerClientKiB} KiB`,
      baselineDisplay: `${baseline.memoryPerClientKiB} KiB`,
      target: '—',
      met: null,
    },
  );
}
keepAliveAgent.destroy();
printResult('fanout', rows, { runs, options: opt, openFilesLimit: fdLimit, path: PATH });
