// Runs the benchmarks in sequence, each as a child `node` process, collects their
// BENCH_RESULT lines and writes bench/results/latest.json and latest.md.
// Usage: node bench/run-all.mjs [--only append,append-postgres,read,fanout,command-roundtrip,metrics-history,metrics-disk,audit-export,collector-cost,metrics-ingest,logs-throughput,alert-evaluation,replay-fold,replay-snapshot,replay-stream,cli-rebuild-export,web-perf,web-soak,agent-idle,agent-fleet,cluster-delivery,cluster-failover]
// VIGIL_BENCH_SOAK=1 makes web-soak run its full 10 minutes (2 by default).
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './lib/result.mjs';
import { markdownReport } from './lib/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ALL = [
  'append',
  'append-postgres',
  'read',
  'fanout',
  'command-roundtrip',
  'metrics-history',
  'metrics-disk',
  'audit-export',
  'collector-cost',
  'metrics-ingest',
  'logs-throughput',
  'alert-evaluation',
  'replay-fold',
  'replay-snapshot',
  'replay-stream',
  'cli-rebuild-export',
  'web-perf',
  'web-soak',
  'agent-idle',
  'agent-fleet',
  'cluster-delivery',
  'cluster-failover',
];
const TIMEOUT_MS = {
  append: 240_000,
  'append-postgres': 300_000,
  read: 180_000,
  // Per level and run: Vigil on SQLite, on PostgreSQL, and the baseline (27 server starts at
  // the defaults, ~40 s each at 10,000 clients).
  fanout: 1_800_000,
  // 3 runs × 2 databases, ~20 s each (start, fleet up, 200 warm-up + 2,000 pings, stop).
  'command-roundtrip': 600_000,
  'metrics-history': 180_000,
  'metrics-disk': 240_000,
  'audit-export': 420_000,
  'collector-cost': 300_000,
  'metrics-ingest': 300_000,
  'logs-throughput': 360_000,
  'alert-evaluation': 120_000,
  'replay-fold': 240_000,
  'replay-snapshot': 420_000,
  'replay-stream': 300_000,
  'cli-rebuild-export': 420_000,
  'web-perf': 300_000,
  // 2 minutes unless VIGIL_BENCH_SOAK=1 asks for the full 10 (bench/web-soak.mjs).
  'web-soak': process.env.VIGIL_BENCH_SOAK === '1' ? 900_000 : 300_000,
  'agent-idle': 180_000,
  'agent-fleet': 300_000,
  'cluster-delivery': 240_000,
  'cluster-failover': 240_000,
};

const onlyAt = process.argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
const only =
  onlyAt < 0
    ? ALL
    : (process.argv[onlyAt].split('=')[1] ?? process.argv[onlyAt + 1] ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
const unknown = only.filter((name) => !ALL.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${ALL.join(', ')}`);
  process.exit(2);
}

function run(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [`bench/${name}.mjs`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGTERM'), TIMEOUT_MS[name]);
    let pending = '';
    const results = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.startsWith(RESULT_PREFIX)) results.push(JSON.parse(line.slice(RESULT_PREFIX.length)));
        else if (line.trim()) process.stderr.write(`  ${name}: ${line}\n`);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ name, code, signal, seconds: Math.round((Date.now() - started) / 1000), results });
    });
  });
}

const startedAt = new Date().toISOString();
const outcomes = [];
for (const name of only) {
  console.error(`== ${name}`);
  const outcome = await run(name);
  outcomes.push(outcome);
  console.error(`== ${name}: exit ${outcome.signal ?? outcome.code} after ${outcome.seconds}s`);
}

const report = {
  startedAt,
  finishedAt: new Date().toISOString(),
  node: process.version,
  cpus: (await import('node:os')).cpus().length,
  benchmarks: outcomes,
};
const dir = fileURLToPath(new URL('results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
const markdown = markdownReport(report);
writeFileSync(`${dir}latest.md`, markdown);
process.stdout.write(markdown);
process.exitCode = outcomes.every((o) => o.code === 0 && o.results.length > 0) ? 0 : 1;
