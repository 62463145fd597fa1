// Web app performance, in Debian's Chromium against what is built in dist/:
//  (a) initial JS: the scripts index.html loads before the app starts, raw and gzip -9;
//  (b) a live chart update: Chart.js update('none') after appending a point to each of
//      8 datasets of a 5-minute window (1 dataset as the same-run baseline);
//  (c) a command.completed message arriving on the page's EventSource → its activity
//      row on /services showing `completed` (DOM, and the next animation frame), over
//      --pings pings POSTed at --rate per second to a real server.
// Usage: node bench/web-perf.mjs [--pings 50] [--rate 2] [--frames 300]
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArgs } from './lib/args.mjs';
import { BENCH_ADMIN_PASSWORD } from './lib/auth.mjs';
import { connected, launchChromium, signIn } from './lib/browser.mjs';
import { chartUpdateTimes } from './lib/chart-update.mjs';
import { COMMAND_ROW_LATENCY_SCRIPT, rowLatencies } from './lib/command-row-latency.mjs';
import { submitCommand } from './lib/commands.mjs';
import { initialScripts } from './lib/initial-js.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { startVigil } from './lib/server.mjs';
import { median, percentile, round } from './lib/stats.mjs';

const options = numberArgs({ pings: 50, rate: 2, frames: 300, warmup: 5 });
const BROWSER_DIR = join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'web', 'browser');
const PING = { type: 'ping', target: 'vigil', environment: 'staging' };
const kb = (bytes) => round(bytes / 1024, 1);

const rows = [];
const details = { options, loadAverage: loadavg() };

// (a) initial JS
const js = initialScripts(BROWSER_DIR);
details.initialJs = js;
log(`initial JS: ${js.initial.length} files, ${kb(js.raw)} KiB raw, ${kb(js.gzip)} KiB gzip; Chart.js initial: ${js.chartJsInitial}`);
rows.push({
  benchmark: `web: initial JS (${js.initial.length} files; Chart.js ${js.chartJsInitial ? 'included' : 'lazy, not included'})`,
  result: kb(js.gzip),
  unit: 'KiB gzip',
  display: `${kb(js.gzip)} KiB gzip (${kb(js.raw)} KiB raw)`,
  baselineDisplay: `all JS: ${kb(js.allGzip)} KiB gzip (${kb(js.allRaw)} KiB raw)`,
  target: '< 400 KB gzip',
  met: js.gzip < 400_000,
});

const browser = await launchChromium();
let server;
try {
  // (b) live chart update
  // Rounds alternate 8 and 1 series, so both see the same machine load.
  const eight = [];
  const one = [];
  for (let pass = 0; pass < 3; pass++) {
    eight.push(...(await chartUpdateTimes(browser, { series: 8, frames: Math.ceil(options.frames / 3) })));
    one.push(...(await chartUpdateTimes(browser, { series: 1, frames: Math.ceil(options.frames / 3) })));
  }
  details.chartUpdate = {
    eight: { median: median(eight), p95: percentile(eight, 95) },
    one: { median: median(one), p95: percentile(one, 95) },
  };
  log(
    `chart update: 8 series p50 ${round(median(eight), 2)} / p95 ${round(percentile(eight, 95), 2)} ms; 1 series p50 ${round(median(one), 2)} ms`,
  );
  rows.push({
    benchmark: `web: live chart update('none'), 8 series × 300 points (5 min at 1 Hz), ${options.frames} frames`,
    result: round(percentile(eight, 95), 2),
    unit: 'ms p95',
    display: `p50 ${round(median(eight), 2)} / p95 ${round(percentile(eight, 95), 2)} ms`,
    baselineDisplay: `1 series: p50 ${round(median(one), 2)} / p95 ${round(percentile(one, 95), 2)} ms`,
    ratio: round(median(eight) / median(one), 2),
    target: 'p95 < 16 ms',
    met: percentile(eight, 95) < 16,
  });

  // (c) command.completed → row shows completed
  server = await startVigil({ env: { VIGIL_SUPERVISOR: 'off' } });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: COMMAND_ROW_LATENCY_SCRIPT });
  const page = await context.newPage();
  await signIn(page, server.base, 'admin', BENCH_ADMIN_PASSWORD);
  await page.goto(`${server.base}/services`, { waitUntil: 'load' });
  await connected(page);
  const ids = [];
  const fire = async (i) => {
    const { commandId } = await submitCommand(server.base, server.headers, PING);
    if (i >= options.warmup) ids.push(commandId);
  };
  const run = await paced({ ratePerSecond: options.rate, maxCount: options.pings + options.warmup, maxSeconds: 120, fire });
  if (run.errors.length > 0) throw new Error(`pings failed: ${run.errors.slice(0, 3).join('; ')}`);
  const deadline = Date.now() + 30_000;
  let latencies = await rowLatencies(page, ids);
  while (latencies.some((item) => item === null) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    latencies = await rowLatencies(page, ids);
  }
  const measured = latencies.filter((item) => item !== null);
  const dom = measured.map((item) => item.dom);
  const frame = measured.map((item) => item.frame);
  details.commandRow = {
    measured: measured.length,
    of: ids.length,
    dom: { median: median(dom), p95: percentile(dom, 95) },
    frame: { median: median(frame), p95: percentile(frame, 95) },
  };
  log(
    `command row: ${measured.length}/${ids.length} measured; DOM p50 ${round(median(dom), 1)} / p95 ${round(percentile(dom, 95), 1)} ms; next frame p50 ${round(median(frame), 1)} ms`,
  );
  rows.push({
    benchmark: `web: command.completed received → activity row shows completed (${measured.length} of ${ids.length} pings at ${options.rate}/s)`,
    result: round(percentile(frame, 95), 1),
    unit: 'ms p95 (next frame)',
    display: `DOM p50 ${round(median(dom), 1)} / p95 ${round(percentile(dom, 95), 1)} ms; next frame p50 ${round(median(frame), 1)} / p95 ${round(percentile(frame, 95), 1)} ms`,
    target: 'p95 < 100 ms (next frame)',
    met: measured.length === ids.length && percentile(frame, 95) < 100,
  });
  await context.close();
} finally {
  await browser.close();
  await server?.stop();
}

printResult('web-perf', rows, details);
