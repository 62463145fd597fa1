// Audit export: memory and time to stream 1,000,000 audit rows over HTTP.
//
// 1. Builds projections.db with 1,000,000 command rows in a temp data dir. The rows
//    are inserted DIRECTLY with a prepared statement in 50,000-row transactions (not
//    through the event log, which would take minutes); the schema comes from the
//    compiled AuditStore's migration. events.db stays empty, so the checkpoint (0)
//    equals the log position (0) and the server serves the prebuilt rows as they are.
// 2. Baseline (same run, own child process): the naive export, `SELECT *` of every
//    row into an array, map to entries, `JSON.stringify` the whole array; its peak
//    RSS above the process's idle RSS.
// 3. Starts the real server (dist/api/main.js) on that data dir and, for NDJSON and
//    CSV, times GET /api/audit/export (signed in as the bench admin) to a client that counts and discards the body,
//    while sampling /api/health rssBytes every 100 ms: peak RSS above idle.
// Target: flat memory, < 100 MB above idle. Usage: node bench/audit-export.mjs [--rows N]
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { getJson } from './lib/http.mjs';
import { log } from './lib/result.mjs';
import { startVigil } from './lib/server.mjs';
import { round } from './lib/stats.mjs';
import { makeTempDir, removeTempDir } from './lib/tmp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const opt = numberArgs({ rows: 1_000_000, txRows: 50_000, sampleMs: 100 });
const MB = 1024 * 1024;

let AuditStore;
try {
  ({ SqliteAuditStore: AuditStore } = require('../dist/api/audit/sqlite-audit-store.js'));
} catch {
  process.stderr.write('dist/api/audit is missing: run `npm run build:shared && npm run build:api` first\n');
  process.exit(2);
}
require('@nestjs/common').Logger.overrideLogger(['error']);

const dataDir = makeTempDir('vigil-bench-audit-');
const projectionsFile = join(dataDir, 'projections.db');
let server;

try {
  // 1. Build the read model.
  const buildStarted = performance.now();
  const audit = await AuditStore.open({ file: projectionsFile });
  const db = audit.connection;
  const insert = db.prepare(`INSERT INTO audit_commands (command_id, accepted_position, accepted_at, actor, actor_id, ip, type, target,
    environment, params, outcome, reason, exit_code, duration_ms, finished_at, last_position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const actors = ['alice', 'bob', 'carol', 'dave', 'erin', '=mallory'];
  const types = ['ping', 'restart', 'deploy', 'logs', 'scale'];
  const outcomes = ['completed', 'completed', 'completed', 'failed', 'cancelled', 'interrupted', 'denied'];
  const t0 = Date.UTC(2026, 0, 1);
  const insertMany = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const position = i * 4 + 1;
      const outcome = outcomes[i % outcomes.length];
      const failed = outcome === 'failed';
      insert.run(
        `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        position,
        new Date(t0 + i * 250).toISOString(),
        actors[i % actors.length],
        actors[i % actors.length],
        '10.0.0.1',
        types[i % types.length],
        `svc-${i % 20}`,
        i % 3 === 0 ? 'production' : 'staging',
        i % 5 === 4 ? `{"instances":${i % 7},"note":"a, \\"quoted\\" value"}` : '{}',
        outcome,
        failed ? 'exit status 3, "see output"' : null,
        failed ? 3 : outcome === 'completed' ? 0 : null,
        120 + (i % 900),
        new Date(t0 + i * 250 + 120).toISOString(),
        position + 3,
      );
    }
  });
  for (let from = 0; from < opt.rows; from += opt.txRows) insertMany(from, Math.min(opt.rows, from + opt.txRows));
  db.pragma('wal_checkpoint(TRUNCATE)');
  await audit.close();
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  log(`audit-export: built ${opt.rows.toLocaleString('en')} rows in ${round(buildSeconds, 1)} s`);

  // 2. Baseline: naive whole-array export in its own process.
  const baseline = naiveBaseline();
  log(
    `audit-export: naive SELECT all + JSON.stringify: +${baseline.overIdleMB} MB RSS, ${baseline.bytesMB} MB body, ${baseline.seconds} s`,
  );

  // 3. The real server.
  // The repo's config on the prebuilt data dir (kept: it is removed below); 60 s to start.
  server = await startVigil({ dataDir, startTimeoutMs: 60_000 });
  await sleep(1500);
  const idleSamples = [];
  for (let i = 0; i < 5; i++) {
    idleSamples.push((await getJson(`${server.base}/api/health`)).rssBytes);
    await sleep(100);
  }
  const idle = Math.min(...idleSamples);
  log(`audit-export: server idle RSS ${round(idle / MB, 1)} MB, VmHWM ${round(vmHwm(server.pid) / MB, 1)} MB`);

  const runs = {};
  for (const format of ['ndjson', 'csv']) {
    runs[format] = await measureExport(server, format, idle);
    const r = runs[format];
    log(
      `audit-export: ${format} ${r.lines.toLocaleString('en')} lines, ${r.mb} MB in ${r.seconds} s (${r.mbPerSecond} MB/s, ${r.rowsPerSecond.toLocaleString('en')} rows/s); peak RSS +${r.peakOverIdleMB} MB over idle (${r.procSamples} /proc + ${r.healthSamples} /api/health samples; health p50 ${r.healthP50Ms} ms, max ${r.healthMaxMs} ms), VmHWM ${r.vmHwmMB} MB`,
    );
  }
  await server.stop();
  server = undefined;

  const expectedLines = { ndjson: opt.rows, csv: opt.rows + 1 };
  const complete = Object.entries(runs).every(([format, r]) => r.lines === expectedLines[format] && r.status === 200);
  const value = Math.max(runs.ndjson.peakOverIdleMB, runs.csv.peakOverIdleMB);
  const ratio = value > 0 ? round(baseline.overIdleMB / value, 1) : null;
  const met = complete && value < 100;
  const result = `ndjson ${runs.ndjson.seconds} s (${runs.ndjson.mb} MB), csv ${runs.csv.seconds} s (${runs.csv.mb} MB) for ${opt.rows.toLocaleString('en')} rows; peak RSS +${value} MB over idle`;
  const summary = {
    name: 'audit-export',
    result,
    value,
    unit: 'MB',
    baseline: `naive SELECT all + JSON.stringify whole array: +${baseline.overIdleMB} MB RSS (${baseline.seconds} s)`,
    ratio,
    target: '< 100 MB RSS above idle, flat',
    met,
    rows: [
      {
        benchmark: `audit-export: NDJSON + CSV export of ${opt.rows.toLocaleString('en')} rows over HTTP, server peak RSS above idle`,
        result: value,
        unit: 'MB',
        display: result,
        baseline: baseline.overIdleMB,
        baselineDisplay: `naive SELECT all + JSON.stringify: +${baseline.overIdleMB} MB`,
        ratio,
        target: '< 100 MB above idle',
        met,
      },
    ],
    details: {
      options: opt,
      buildSeconds: round(buildSeconds, 1),
      idleRssMB: round(idle / MB, 1),
      runs,
      baseline,
      complete,
      insertedDirectly: true,
    },
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(summary)}\n`);
} finally {
  if (server) await server.stop();
  removeTempDir(dataDir);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function vmHwm(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

function naiveBaseline() {
  const script = `
    const Database = require('better-sqlite3');
    const rss = () => process.memoryUsage().rss;
    const db = new Database(process.argv[1], { readonly: true });
    const idle = rss();
    let peak = idle;
    const started = performance.now();
    const rows = db.prepare('SELECT * FROM audit_commands ORDER BY accepted_position DESC').all();
    peak = Math.max(peak, rss());
    const entries = rows.map((r) => ({ commandId: r.command_id, acceptedPosition: r.accepted_position, acceptedAt: r.accepted_at,
      actor: r.actor, actorId: r.actor_id, ip: r.ip, type: r.type, target: r.target, environment: r.environment,
      params: JSON.parse(r.params), outcome: r.outcome, reason: r.reason, exitCode: r.exit_code, durationMs: r.duration_ms,
      finishedAt: r.finished_at, lastPosition: r.last_position }));
    peak = Math.max(peak, rss());
    const body = JSON.stringify(entries);
    peak = Math.max(peak, rss());
    const hwm = Number(/VmHWM:\\s+(\\d+) kB/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
    peak = Math.max(peak, hwm);
    process.stdout.write(JSON.stringify({ idle, peak, bytes: Buffer.byteLength(body), seconds: (performance.now() - started) / 1000, rows: entries.length }));
  `;
  const run = spawnSync(process.execPath, ['--max-old-space-size=8192', '-e', script, projectionsFile], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) throw new Error(`baseline failed: ${run.stderr}`);
  const r = JSON.parse(run.stdout);
  return { overIdleMB: round((r.peak - r.idle) / MB, 1), bytesMB: round(r.bytes / MB, 1), seconds: round(r.seconds, 2), rows: r.rows };
}

function vmRss(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Streams one export to a client that only counts lines and bytes. Meanwhile the
 * server's RSS is sampled every 100 ms from /proc/<pid>/status (VmRSS), and
 * /api/health is polled as well: its rssBytes count too, and its latency shows
 * whether the export starves other requests.
 */
async function measureExport(target, format, idle) {
  let peak = idle;
  let procSamples = 0;
  let healthSamples = 0;
  const healthLatencies = [];
  let sampling = true;
  const procSampler = setInterval(() => {
    peak = Math.max(peak, vmRss(target.pid));
    procSamples += 1;
  }, opt.sampleMs);
  const healthSampler = (async () => {
    while (sampling) {
      const sent = performance.now();
      try {
        const health = await getJson(`${target.base}/api/health`, { timeoutMs: 5_000 });
        healthLatencies.push(performance.now() - sent);
        peak = Math.max(peak, health.rssBytes);
        healthSamples += 1;
      } catch {
        // a missed sample is not a failure
      }
      await sleep(opt.sampleMs);
    }
  })();
  const started = performance.now();
  const { status, bytes, lines } = await new Promise((resolve, reject) => {
    http
      .get(`${target.base}/api/audit/export?format=${format}`, { agent: false, headers: target.headers }, (response) => {
        let count = 0;
        let size = 0;
        response.on('data', (chunk) => {
          size += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count += 1;
        });
        response.on('end', () => resolve({ status: response.statusCode, bytes: size, lines: count }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  sampling = false;
  clearInterval(procSampler);
  await healthSampler;
  healthLatencies.sort((a, b) => a - b);
  return {
    status,
    lines,
    mb: round(bytes / MB, 1),
    seconds: round(seconds, 2),
    mbPerSecond: round(bytes / MB / seconds, 1),
    rowsPerSecond: Math.round(opt.rows / seconds),
    peakOverIdleMB: round((peak - idle) / MB, 1),
    procSamples,
    healthSamples,
    healthP50Ms: round(healthLatencies[Math.floor(healthLatencies.length / 2)] ?? NaN, 1),
    healthMaxMs: round(healthLatencies[healthLatencies.length - 1] ?? NaN, 1),
    vmHwmMB: round(vmHwm(target.pid) / MB, 1),
  };
}
