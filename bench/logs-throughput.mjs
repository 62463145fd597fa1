// Command throughput: `logs` commands (last 10 lines of a supervised demo service) POSTed
// at rising rates; latency = POST sent → its command.completed (or command.failed) on
// one SSE connection. Reports p50/p99 per rate and the highest rate whose p99 stays
// under --slo-ms (lost or failed commands count as over). Baseline (same run, same rates, interleaved): `ping` commands, which
// go through the same pipeline (accept, start, complete) without touching the supervisor.
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { numberArgs } from './lib/args.mjs';
import { getJsonWith, openSseWith, requestWith } from './lib/auth.mjs';
import { PING, request } from './lib/http.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { percentile, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';

const opt = numberArgs({
  rates: '10,25,50,100,200,400',
  seconds: 8,
  sloMs: 50,
  drainMs: 10_000,
  minCount: 200,
  warmup: 100,
  portFrom: 22500,
  logLines: 40,
  saturatedP50Ms: 1000,
});
const rates = String(opt.rates).split(',').map(Number);
const LOGS = { type: 'logs', target: 'web-server', environment: 'staging', params: { lines: 10 } };
const KINDS = { logs: LOGS, ping: PING };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Enough sockets that the client never queues requests behind its own pool.
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, timeout: 2_000 });

function portFree(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

const configYaml = `# logs-throughput benchmark: one supervised demo service
environments:
  - name: staging
    services:
      - name: web-server
        command: node
        args: [demo/web-server.mjs]
        instances: 1
        maxInstances: 2   # the schema defaults to 4, which needs 4 ports
        ports: { from: ${opt.portFrom}, to: ${opt.portFrom + 1} }
        healthUrl: http://127.0.0.1:{port}/health
`;

for (const port of [opt.portFrom, opt.portFrom + 1]) {
  if (!(await portFree(port))) {
    log(`logs-throughput: port ${port} on 127.0.0.1 is taken; choose another range with --port-from`);
    process.exit(1);
  }
}

const loadBefore = os.loadavg();
const server = await startVigil({ configYaml });
const sentAt = new Map(); // commandId -> { sent, level } once the 202 told us the id
const doneEarly = new Map(); // commandId -> { at, failed, lines } when the event beat the 202
let exitCode = 0;
let stopping = false;
let stream;

function record(level, latency, outcome) {
  if (!level) return;
  if (outcome.failed) level.failed.push(outcome.reason);
  else level.latencies.push(latency);
  if (outcome.lines !== undefined) level.lineCounts.add(outcome.lines);
}

try {
  // Wait for the supervised service to be running.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const services = await getJsonWith(`${server.base}/api/services?environment=staging`, server.headers);
    const web = services.find((s) => s.service === 'web-server');
    if (web?.status === 'running') break;
    if (Date.now() > deadline) throw new Error(`web-server did not start: ${JSON.stringify(web)}\n${server.output()}`);
    await sleep(250);
  }
  // Some log lines to tail (the demo logs one line per page request).
  for (let i = 0; i < opt.logLines; i++) await request(`http://127.0.0.1:${opt.portFrom}/page/x`);

  // One stream (with the admin's token where the build has authentication).
  stream = await openSseWith(`${server.base}/api/stream?types=command.completed,command.failed`, {
    headers: server.headers,
    onMessage: (data, id) => {
      if (id === undefined) return; // snapshot, heartbeats
      const now = performance.now();
      const event = JSON.parse(data);
      if (event.data?.commandId === undefined) return;
      const outcome = { failed: event.type === 'command.failed', reason: event.data.reason, lines: event.data.result?.lines };
      const pending = sentAt.get(event.data.commandId);
      if (pending === undefined) {
        doneEarly.set(event.data.commandId, { at: now, ...outcome });
        return;
      }
      sentAt.delete(event.data.commandId);
      record(pending.level, now - pending.sent, outcome);
    },
    onClose: (error) => {
      if (!stopping) log(`logs-throughput: stream closed ${error ?? ''}`);
    },
  });

  const fire = (body, level) => async () => {
    const sent = performance.now();
    if (level) {
      level.firstSent ??= sent;
      level.lastSent = sent;
    }
    const res = await requestWith(`${server.base}/api/commands`, {
      method: 'POST',
      body,
      agent,
      headers: server.headers,
      timeoutMs: 30_000,
    });
    if (res.status !== 202) throw new Error(`POST /api/commands: ${res.status} ${res.text.slice(0, 200)}`);
    const { commandId } = JSON.parse(res.text);
    const early = doneEarly.get(commandId);
    if (early === undefined) sentAt.set(commandId, { sent, level });
    else {
      doneEarly.delete(commandId);
      record(level, early.at - sent, early);
    }
  };

  async function measure(kind, rate) {
    const level = { latencies: [], failed: [], lineCounts: new Set() };
    // At least --min-count commands per level, so that p99 is not simply the maximum.
    const count = Math.max(opt.minCount, Math.ceil(rate * opt.seconds));
    const drive = await paced({ ratePerSecond: rate, maxCount: count, maxSeconds: count / rate + 5, fire: fire(KINDS[kind], level) });
    const accepted = drive.sent - drive.errors.length;
    const until = Date.now() + opt.drainMs;
    while (level.latencies.length + level.failed.length < accepted && Date.now() < until) await sleep(25);
    const done = level.latencies.length + level.failed.length;
    for (const [id, p] of sentAt) if (p.level === level) sentAt.delete(id); // lost: forget them
    const lat = level.latencies;
    const result = {
      kind,
      rate,
      sent: drive.sent,
      sendRate: round((drive.sent - 1) / ((level.lastSent - level.firstSent) / 1000), 1),
      postErrors: drive.errors.length,
      postErrorSamples: drive.errors.slice(0, 3),
      completed: lat.length,
      failed: level.failed.length,
      failedSamples: level.failed.slice(0, 3),
      missing: accepted - done,
      p50Ms: round(percentile(lat, 50), 1),
      p90Ms: round(percentile(lat, 90), 1),
      p99Ms: round(percentile(lat, 99), 1),
      maxMs: round(Math.max(...lat), 1),
      lineCounts: [...level.lineCounts],
    };
    // Lost or failed commands count as a miss whatever the percentile says.
    result.withinSlo = result.p99Ms < opt.sloMs && result.postErrors === 0 && result.failed === 0 && result.missing === 0;
    // Saturated: the pipeline no longer keeps up, higher rates would only pile up more.
    result.saturated = result.missing > 0 || result.postErrors > 0 || !(result.p50Ms < opt.saturatedP50Ms);
    log(
      `logs-throughput ${kind} @ ${rate}/s: ${result.completed}/${result.sent} completed (sent at ${result.sendRate}/s), ${result.failed} failed, ${result.postErrors} POST errors, ${result.missing} missing; p50 ${result.p50Ms} / p99 ${result.p99Ms} / max ${result.maxMs} ms`,
    );
    await sleep(1000);
    return result;
  }

  // Warm-up, not measured.
  for (const kind of ['ping', 'logs'])
    await paced({ ratePerSecond: 25, maxCount: opt.warmup, maxSeconds: 15, fire: fire(KINDS[kind], undefined) });
  await sleep(1000);
  doneEarly.clear();
  sentAt.clear();

  const runs = [];
  const saturated = { logs: false, ping: false };
  for (const rate of rates) {
    for (const kind of ['ping', 'logs']) {
      if (saturated[kind]) {
        log(`logs-throughput ${kind} @ ${rate}/s: skipped, saturated at a lower rate`);
        continue;
      }
      const result = await measure(kind, rate);
      runs.push(result);
      saturated[kind] = result.saturated;
    }
  }

  const best = (kind) => runs.filter((r) => r.kind === kind && r.withinSlo).reduce((m, r) => Math.max(m, r.rate), 0);
  const logsBest = best('logs');
  const pingBest = best('ping');
  const badLines = runs.filter((r) => r.kind === 'logs' && r.lineCounts.some((n) => n !== 10));
  if (badLines.length > 0)
    log(`logs-throughput: some logs commands returned other than 10 lines: ${JSON.stringify(badLines.map((r) => r.lineCounts))}`);
  const show = (r) =>
    r
      ? `p50 ${r.p50Ms} / p99 ${r.p99Ms} ms${r.missing || r.failed || r.postErrors ? ` (${r.missing} lost, ${r.failed} failed, ${r.postErrors} POST errors)` : ''}`
      : 'skipped';
  const rows = [
    {
      benchmark: `logs throughput: highest rate with p99 POST -> command.completed < ${opt.sloMs} ms (logs, 10 lines; rates ${rates.join('/')}/s, ${opt.seconds} s and >= ${opt.minCount} commands each)`,
      result: logsBest,
      unit: 'commands/s',
      display: logsBest > 0 ? `${logsBest} commands/s` : `none of the rates (lowest ${rates[0]}/s)`,
      baseline: pingBest,
      baselineDisplay: pingBest > 0 ? `${pingBest} commands/s (ping)` : `none of the rates (ping)`,
      ratio: pingBest > 0 ? round(logsBest / pingBest, 2) : '—',
      target: 'report',
      met: badLines.length === 0,
    },
    ...rates.map((rate) => {
      const l = runs.find((r) => r.kind === 'logs' && r.rate === rate);
      const p = runs.find((r) => r.kind === 'ping' && r.rate === rate);
      return {
        benchmark: `logs throughput @ ${rate}/s: latency`,
        display: `logs ${show(l)}`,
        baselineDisplay: `ping ${show(p)}`,
        ratio: l && p ? round(l.p99Ms / p.p99Ms, 2) : '—',
        target: `p99 < ${opt.sloMs} ms`,
        met: l ? l.withinSlo : false,
      };
    }),
  ];
  printResult('logs-throughput', rows, {
    runs,
    logsBestRate: logsBest,
    pingBestRate: pingBest,
    loadavg: { before: loadBefore, after: os.loadavg() },
    options: opt,
  });
} catch (error) {
  exitCode = 1;
  log(`logs-throughput failed: ${error.stack ?? error}`);
} finally {
  stopping = true;
  stream?.close();
  agent.destroy();
  await server.stop();
  process.exit(exitCode); // the SSE socket is gone with the server; do not wait for its close
}
