// The incident-review CLI on a realistic log: `vigil rebuild` (every read model
// dropped and refolded, digests before and after), `vigil export` of a 1-hour
// window and `vigil review` loading that bundle, each as the real CLI process.
// Baseline (same run, same log): `vigil verify`, one pass re-hashing every event;
// rebuild scans the log six times (the in-memory models' three start-up folds, the
// audit and checkpoint refolds, one shared pass for the in-memory models after), so
// the ratio says what that costs.
// The log is written with direct batched inserts through the store's hash chain
// (lib/event-log-loader.mjs), events 50 ms apart, with 1 Hz samples of 3 sources.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { loadRealisticLog } from './lib/event-log-loader.mjs';
import { TimeSeriesStore, writeSamples } from './lib/replay.mjs';
import { log, printResult } from './lib/result.mjs';
import { median, round } from './lib/stats.mjs';
import { quietNestLogger } from './lib/store.mjs';
import { makeTempDir } from './lib/tmp.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'api', 'cli', 'vigil-cli.js');
const opt = numberArgs({ events: 200_000, stepMs: 50, runs: 3 });
quietNestLogger();

const dir = makeTempDir();
const env = { ...process.env, VIGIL_DATA_DIR: dir, VIGIL_CONFIG: join(ROOT, 'vigil.config.yaml'), VIGIL_HOST: '127.0.0.1' };
const startMs = Date.now() - opt.events * opt.stepMs - 60_000;
const endMs = startMs + opt.events * opt.stepMs;
await loadRealisticLog(join(dir, 'events.db'), { count: opt.events, startMs, stepMs: opt.stepMs });
const tsdb = await TimeSeriesStore.open({ file: join(dir, 'metrics.db') });
const sampleCount = await writeSamples(tsdb, { fromMs: startMs, toMs: endMs });
await tsdb.close();
log(`cli-rebuild-export: ${opt.events} events, ${sampleCount} samples`);

/** Runs the CLI to its end; resolves { ms, stdout, code }. */
function vigil(args, stdoutFile) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    let err = '';
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const stdout = Buffer.concat(out);
      if (stdoutFile) writeFileSync(stdoutFile, stdout);
      if (code !== 0) reject(new Error(`vigil ${args.join(' ')} exited ${code}: ${err}`));
      else resolve({ ms: performance.now() - started, stdout: stdout.toString('utf8') });
    });
  });
}

/** Starts `vigil review FILE --port 0`; resolves the time until it listens, then stops it. */
function reviewStart(file) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'review', file, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let listenedMs;
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (listenedMs === undefined && /listening on/.test(out)) {
        listenedMs = performance.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.once('close', (code) =>
      listenedMs !== undefined && code === 0 ? resolve(listenedMs) : reject(new Error(`review exited ${code}: ${out}`)),
    );
  });
}

const verifyMs = [];
const rebuildMs = [];
let digestsMatch = true;
for (let i = 0; i < opt.runs; i++) {
  verifyMs.push((await vigil(['verify'])).ms);
  const rebuild = await vigil(['rebuild']);
  rebuildMs.push(rebuild.ms);
  digestsMatch &&= !rebuild.stdout.includes('DIFFERS');
  log(`cli-rebuild-export: run ${i + 1}: verify ${round(verifyMs[i] / 1000, 2)} s, rebuild ${round(rebuildMs[i] / 1000, 2)} s`);
}

const bundle = join(dir, 'incident.ndjson');
const windowFrom = new Date(endMs - 3_600_000).toISOString();
const windowTo = new Date(endMs).toISOString();
const exportMs = [];
const reviewMs = [];
for (let i = 0; i < opt.runs; i++) {
  exportMs.push((await vigil(['export', '--from', windowFrom, '--to', windowTo], bundle)).ms);
  reviewMs.push(await reviewStart(bundle));
}
const bundleBytes = statSync(bundle).size;
const header = JSON.parse(readFileSync(bundle, 'utf8').slice(0, 4096).split('\n')[0]);
log(
  `cli-rebuild-export: export ${round(median(exportMs) / 1000, 2)} s (${header.events} events, ${header.samples} samples, ${round(bundleBytes / 1e6, 1)} MB), review start ${round(median(reviewMs) / 1000, 2)} s`,
);

const rebuild = median(rebuildMs);
const verify = median(verifyMs);
printResult(
  'cli-rebuild-export',
  [
    {
      benchmark: `vigil rebuild: ${opt.events.toLocaleString('en')} events, every read model dropped and refolded (median of ${opt.runs}, process start included)`,
      result: round(rebuild / 1000, 2),
      unit: 's',
      baseline: round(verify / 1000, 2),
      ratio: `${round(rebuild / verify, 1)}x of vigil verify`,
      target: 'digests before = after',
      met: digestsMatch,
    },
    {
      benchmark: `vigil export: 1 h window (${header.events} events, ${header.samples} samples, ${round(bundleBytes / 1e6, 1)} MB NDJSON)`,
      result: round(median(exportMs) / 1000, 2),
      unit: 's',
      target: '—',
      met: true,
    },
    {
      benchmark: 'vigil review: start with that bundle until listening',
      result: round(median(reviewMs) / 1000, 2),
      unit: 's',
      target: '—',
      met: true,
    },
  ],
  { events: opt.events, samples: sampleCount, verifyMs, rebuildMs, exportMs, reviewMs },
);
