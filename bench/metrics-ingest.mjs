// Metrics ingest: samples/s accepted by POST /api/metrics/ingest (bearer token) with
// batching. Batches of 1, 10, 100 and 400 samples (5 values each, bodies < 64 KiB)
// from --connections concurrent keep-alive connections (each sends its next batch as
// soon as the 202 arrives) for --seconds per batch size, in --rounds interleaved
// rounds; the median round per size is reported. Baseline (same run): 1-sample batches.
import http from 'node:http';
import os from 'node:os';
import { numberArgs } from './lib/args.mjs';
import { getJsonWith } from './lib/auth.mjs';
import { getJson } from './lib/http.mjs';
import { procCpu } from './lib/proc-cpu.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';

const opt = numberArgs({
  batches: '1,10,100,400',
  connections: 8,
  seconds: 10,
  rounds: 3,
  warmupSeconds: 2,
  sources: 20,
  maxRequests: 200_000,
});
const TOKEN = 'bench-ingest-token-0123456789';
const BODY_LIMIT = 64 * 1024;
const VALUES_PER_SAMPLE = 5;
const sizes = String(opt.batches).split(',').map(Number);

// One body per batch size, serialised once: the client's cost stays out of the way.
// Sources cycle through --sources agents in the staging environment; no `time`, so the
// server stamps each sample with its arrival time.
function bodyFor(size) {
  const samples = Array.from({ length: size }, (_, i) => ({
    source: `agent-${i % opt.sources}`,
    environment: 'staging',
    values: { cpu_percent: 12.5 + (i % 70), mem_bytes: 1_234_567_890 + i, req_per_s: 431.25 + i, err_per_s: 0.75, queue: i % 17 },
  }));
  const body = Buffer.from(JSON.stringify({ samples }));
  if (body.length >= BODY_LIMIT) throw new Error(`batch of ${size} is ${body.length} bytes, over the 64 KiB body limit`);
  return body;
}

function post(agent, port, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/metrics/ingest',
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${TOKEN}` },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout POST /api/metrics/ingest')));
    req.on('error', reject);
    req.end(body);
  });
}

/** --connections loops, each POSTing `body` back to back until `seconds` have passed. */
async function drive(server, size, body, seconds) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opt.connections, timeout: 2_000 });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const cpuBefore = procCpu(server.pid);
  let requests = 0;
  let accepted = 0;
  const errors = [];
  const loop = async () => {
    while (performance.now() < deadline && requests < opt.maxRequests) {
      requests += 1;
      try {
        const res = await post(agent, server.port, body);
        if (res.status !== 202) {
          errors.push(`${res.status} ${res.text.slice(0, 120)}`);
          continue;
        }
        const n = JSON.parse(res.text).accepted;
        if (n !== size) errors.push(`accepted ${n} of ${size}`);
        accepted += n;
      } catch (error) {
        errors.push(String(error.message ?? error));
      }
    }
  };
  await Promise.all(Array.from({ length: opt.connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = procCpu(server.pid);
  agent.destroy();
  const serverCpuMs = cpuAfter.totalMs - cpuBefore.totalMs;
  return {
    batch: size,
    bodyBytes: body.length,
    requests,
    accepted,
    seconds: round(elapsed, 2),
    samplesPerSecond: Math.round(accepted / elapsed),
    valuesPerSecond: Math.round((accepted * VALUES_PER_SAMPLE) / elapsed),
    requestsPerSecond: Math.round(requests / elapsed),
    serverCpuPercent: round((serverCpuMs / (elapsed * 1000)) * 100, 1),
    serverCpuUsPerSample: accepted ? round((serverCpuMs * 1000) / accepted, 1) : null,
    errorCount: errors.length,
    errors: errors.slice(0, 3),
  };
}

const loadBefore = os.loadavg();
const server = await startVigil({
  configYaml: `# metrics-ingest benchmark\nmetrics:\n  ingestToken: ${TOKEN}\n`,
  env: { VIGIL_SUPERVISOR: 'off' },
});
let exitCode = 0;
try {
  const bodies = new Map(sizes.map((size) => [size, bodyFor(size)]));
  for (const [size, body] of bodies) log(`ingest: batch ${size} = ${body.length} bytes`);
  // Warm-up: every size briefly, so routes, validation and the store are hot.
  for (const [size, body] of bodies) await drive(server, size, body, opt.warmupSeconds / sizes.length);

  const runs = [];
  for (let round_ = 1; round_ <= opt.rounds; round_++) {
    for (const [size, body] of bodies) {
      const run = await drive(server, size, body, opt.seconds);
      runs.push({ round: round_, ...run });
      log(
        `ingest round ${round_} batch ${size}: ${run.samplesPerSecond} samples/s, ${run.requestsPerSecond} req/s, server CPU ${run.serverCpuPercent} % (${run.serverCpuUsPerSample} µs/sample), ${run.errorCount} errors`,
      );
    }
  }
  await new Promise((r) => setTimeout(r, 1500)); // one store flush
  const catalog = await getJsonWith(`${server.base}/api/metrics/catalog`, server.headers);
  const ingested = catalog.filter((s) => s.source.startsWith('agent-')).length;
  const health = await getJson(`${server.base}/api/health`).catch(() => ({}));

  const bySize = sizes.map((size) => {
    const mine = runs.filter((r) => r.batch === size);
    const med = (key) => median(mine.map((r) => r[key]));
    return {
      batch: size,
      bodyBytes: bodies.get(size).length,
      samplesPerSecond: med('samplesPerSecond'),
      valuesPerSecond: med('valuesPerSecond'),
      requestsPerSecond: med('requestsPerSecond'),
      serverCpuPercent: med('serverCpuPercent'),
      serverCpuUsPerSample: med('serverCpuUsPerSample'),
      errors: mine.reduce((n, r) => n + r.errorCount, 0),
    };
  });
  const single = bySize.find((s) => s.batch === 1) ?? bySize[0];
  const best = bySize.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
  const errorTotal = bySize.reduce((n, s) => n + s.errors, 0);
  const ok = errorTotal === 0 && ingested === opt.sources;
  if (!ok) exitCode = 1;
  log(
    `ingest: best batch ${best.batch}: ${best.samplesPerSecond} samples/s = ${round(best.samplesPerSecond / single.samplesPerSecond, 1)}x single; ${errorTotal} errors; ${ingested}/${opt.sources} agent sources in the catalog`,
  );
  const rows = [
    {
      benchmark: `metrics ingest: best accepted samples/s (batch ${best.batch}, ${VALUES_PER_SAMPLE} values/sample, ${opt.connections} keep-alive connections, median of ${opt.rounds} × ${opt.seconds} s)`,
      result: best.samplesPerSecond,
      unit: 'samples/s',
      baseline: single.samplesPerSecond,
      ratio: round(best.samplesPerSecond / single.samplesPerSecond, 1),
      target: 'report',
      met: ok,
    },
    ...bySize.map((s) => ({
      benchmark: `metrics ingest: batch ${s.batch} (${s.bodyBytes.toLocaleString('en')} B body)`,
      result: s.samplesPerSecond,
      unit: 'samples/s',
      display: `${s.samplesPerSecond.toLocaleString('en')} samples/s = ${s.valuesPerSecond.toLocaleString('en')} values/s (${s.requestsPerSecond.toLocaleString('en')} req/s, server ${s.serverCpuPercent} % CPU, ${s.serverCpuUsPerSample} µs/sample)`,
      baseline: single.samplesPerSecond,
      ratio: round(s.samplesPerSecond / single.samplesPerSecond, 1),
      target: 'report',
      met: s.errors === 0,
    })),
  ];
  printResult('metrics-ingest', rows, {
    bySize,
    runs,
    ingestedSources: ingested,
    rssMiB: health.rssBytes ? round(health.rssBytes / 2 ** 20) : null,
    loadavg: { before: loadBefore, after: os.loadavg() },
    options: opt,
  });
} catch (error) {
  exitCode = 1;
  log(`ingest failed: ${error.stack ?? error}`);
} finally {
  await server.stop();
  process.exitCode = exitCode;
}
