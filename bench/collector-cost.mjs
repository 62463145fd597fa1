// Collector cost at default settings: CPU time of the host sampling loop per second,
// as % of one core. A child node process loads HostCollector (every 1 s) and
// HostStorageCollector (every 10 s) from dist/ and calls collect() on those intervals;
// its CPU = process.cpuUsage() + its reaped children's (cutime + cstime from
// /proc/self/stat: systeminformation spawns df, ps, ...). Baseline, same run and same
// window: an identical child (same modules loaded) whose 1 s setInterval does nothing.
// Context: the real server (VIGIL_SUPERVISOR=off, default metrics config) left idle,
// total CPU from /proc/<pid>/stat (utime + stime + cutime + cstime).
// Medians are over --window-seconds windows (10 s: one storage collection each).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { procCpu } from './lib/proc-cpu.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { startVigil } from './lib/server.mjs';

const opt = numberArgs({ seconds: 60, windowSeconds: 10, serverSeconds: 60, warmupSeconds: 3, child: '' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HOST = fileURLToPath(new URL('../dist/api/metrics/collectors/host.collector.js', import.meta.url));
const STORAGE = fileURLToPath(new URL('../dist/api/metrics/collectors/host-storage.collector.js', import.meta.url));

/** CPU (own + reaped children) in ms, and wall time in ms, at this moment. */
function cpuNow() {
  const own = process.cpuUsage();
  const { childrenMs } = procCpu('self');
  return { ownMs: (own.user + own.system) / 1000, childrenMs, wallMs: performance.now() };
}

const diff = (a, b) => ({
  ownMs: b.ownMs - a.ownMs,
  childrenMs: b.childrenMs - a.childrenMs,
  wallMs: b.wallMs - a.wallMs,
  percent: ((b.ownMs - a.ownMs + b.childrenMs - a.childrenMs) / (b.wallMs - a.wallMs)) * 100,
});

// ---- child: `--child collector` or `--child idle`, prints one JSON line ----
async function runChild(mode) {
  const require = createRequire(import.meta.url);
  const { HostCollector } = require(HOST);
  const { HostStorageCollector } = require(STORAGE);
  const host = new HostCollector(1000, 1000);
  const storage = new HostStorageCollector(10_000, 5000);
  let collections = 0;
  let failures = 0;
  let maxCollectMs = 0;
  const collect = (collector) => {
    const started = performance.now();
    collector.collect().then(
      () => {
        collections += 1;
        maxCollectMs = Math.max(maxCollectMs, performance.now() - started);
      },
      () => {
        failures += 1;
      },
    );
  };
  // Warm-up (not measured): first calls load systeminformation's lazy parts and
  // seed the collector's previous counter readings.
  if (mode === 'collector') {
    await Promise.all([host.collect(), storage.collect()]);
  }
  await sleep(opt.warmupSeconds * 1000);

  const timers =
    mode === 'collector'
      ? [setInterval(() => collect(host), 1000), setInterval(() => collect(storage), 10_000)]
      : [setInterval(() => {}, 1000)];
  // Window edges sit 500 ms after the ticks, so no collection starts on an edge.
  await sleep(500);
  const start = cpuNow();
  const windows = [];
  let last = start;
  const windowCount = Math.max(1, Math.round(opt.seconds / opt.windowSeconds));
  for (let i = 0; i < windowCount; i++) {
    await sleep(start.wallMs + (i + 1) * opt.windowSeconds * 1000 - performance.now());
    const now = cpuNow();
    windows.push(diff(last, now));
    last = now;
  }
  for (const t of timers) clearInterval(t);
  const total = diff(start, last);
  process.stdout.write(`${JSON.stringify({ mode, total, windows, collections, failures, maxCollectMs: round(maxCollectMs, 1) })}\n`);
}

function spawnChild(mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        fileURLToPath(import.meta.url),
        '--child',
        mode,
        '--seconds',
        String(opt.seconds),
        '--window-seconds',
        String(opt.windowSeconds),
        '--warmup-seconds',
        String(opt.warmupSeconds),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err = (err + c).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (opt.seconds + opt.warmupSeconds + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`${mode} child exited ${code}: ${err}`));
      else resolve(JSON.parse(line));
    });
  });
}

async function serverIdle() {
  const server = await startVigil({
    configYaml: '# collector-cost: default metrics settings, default environments, no services\nmetrics: {}\n',
    env: { VIGIL_SUPERVISOR: 'off' },
  });
  try {
    await sleep(opt.warmupSeconds * 1000 + 2000); // past start-up work
    const read = () => ({ ...procCpu(server.pid), wallMs: performance.now() });
    const start = read();
    let last = start;
    const windows = [];
    const windowCount = Math.max(1, Math.round(opt.serverSeconds / opt.windowSeconds));
    for (let i = 0; i < windowCount; i++) {
      await sleep(start.wallMs + (i + 1) * opt.windowSeconds * 1000 - performance.now());
      const now = read();
      windows.push({
        selfMs: now.selfMs - last.selfMs,
        childrenMs: now.childrenMs - last.childrenMs,
        wallMs: now.wallMs - last.wallMs,
        percent: ((now.totalMs - last.totalMs) / (now.wallMs - last.wallMs)) * 100,
      });
      last = now;
    }
    const total = {
      selfMs: last.selfMs - start.selfMs,
      childrenMs: last.childrenMs - start.childrenMs,
      wallMs: last.wallMs - start.wallMs,
    };
    total.percent = ((total.selfMs + total.childrenMs) / total.wallMs) * 100;
    return { total, windows };
  } finally {
    await server.stop();
  }
}

async function main() {
  if (!existsSync(HOST) || !existsSync(STORAGE)) {
    process.stderr.write('dist/api is missing: run `npm run build:shared && npm run build:api` first\n');
    process.exit(2);
  }
  const loadBefore = os.loadavg();
  // Collector and baseline run side by side, so both see the same machine noise.
  log(`collector-cost: collector and idle children for ${opt.seconds} s each (in parallel)`);
  const [collector, idle] = await Promise.all([spawnChild('collector'), spawnChild('idle')]);
  const pct = (w) => w.map((x) => round(x.percent, 3));
  const collectorMedian = median(collector.windows.map((w) => w.percent));
  const idleMedian = median(idle.windows.map((w) => w.percent));
  const net = collectorMedian - idleMedian;
  log(
    `collector-cost: collector ${round(collectorMedian, 3)} % (windows ${pct(collector.windows).join(', ')}), idle ${round(idleMedian, 3)} % (windows ${pct(idle.windows).join(', ')}); children ${round(collector.total.childrenMs)} ms of ${round(collector.total.ownMs + collector.total.childrenMs)} ms; ${collector.collections} collections, ${collector.failures} failed, slowest ${collector.maxCollectMs} ms`,
  );

  log(`collector-cost: real server idle for ${opt.serverSeconds} s`);
  let server;
  try {
    server = await serverIdle();
    log(
      `collector-cost: server idle ${round(median(server.windows.map((w) => w.percent)), 3)} % (windows ${pct(server.windows).join(', ')}), children ${round(server.total.childrenMs)} ms`,
    );
  } catch (error) {
    log(`collector-cost: server run failed: ${error.stack ?? error}`);
  }

  const serverMedian = server ? median(server.windows.map((w) => w.percent)) : undefined;
  const fmt = (v) => `${round(v, 2)} % of one core`;
  const rows = [
    {
      benchmark: `collector cost: HostCollector 1 s + HostStorageCollector 10 s, net CPU (collector − idle process, median of ${opt.windowSeconds} s windows over ${opt.seconds} s)`,
      result: round(net, 2),
      unit: '% of one core',
      display: `${round(net, 2)} % net (${fmt(collectorMedian)} total)`,
      baseline: round(idleMedian, 2),
      baselineDisplay: `${fmt(idleMedian)} (idle node, 1 s no-op timer)`,
      ratio: idleMedian > 0 ? round(collectorMedian / idleMedian, 1) : '—',
      target: '< 2 % of one core (Netdata agent: 1–5 %)',
      met: net < 2 && collector.failures === 0,
    },
    {
      benchmark: `collector cost: of which spawned children (df, ps, ...)`,
      result: round((collector.total.childrenMs / collector.total.wallMs) * 100, 2),
      unit: '% of one core',
      baseline: round((idle.total.childrenMs / idle.total.wallMs) * 100, 2),
      target: '—',
      met: null,
    },
    server
      ? {
          benchmark: `idle server (VIGIL_SUPERVISOR=off, default metrics), total CPU incl. children, median of ${opt.windowSeconds} s windows over ${opt.serverSeconds} s`,
          result: round(serverMedian, 2),
          unit: '% of one core',
          target: 'context',
          met: null,
        }
      : { benchmark: 'idle server total CPU', display: 'failed', target: 'context', met: null },
  ];
  printResult('collector-cost', rows, {
    collector: { ...collector, windowsPercent: pct(collector.windows) },
    idle: { ...idle, windowsPercent: pct(idle.windows) },
    server: server && { ...server, windowsPercent: pct(server.windows) },
    netPercent: round(net, 3),
    loadavg: { before: loadBefore, after: os.loadavg() },
    options: opt,
  });
}

if (opt.child) await runChild(opt.child);
else await main();
