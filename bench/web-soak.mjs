// Web soak: the dashboard page open in Debian's Chromium for --minutes while a real
// server streams it about 10 messages a second (pings POSTed at --pings-per-s, each
// accepted/started/output/completed, plus the live host and vigil metrics). Every
// --every seconds: garbage collection through CDP (HeapProfiler.collectGarbage), then
// the JS heap (Runtime.getHeapUsage) and DOM node count. The heap must stay within 20 %
// of its level after the first minute.
// Short by default (2 minutes); VIGIL_BENCH_SOAK=1 (or --minutes 10) runs the full 10.
// Usage: node bench/web-soak.mjs [--minutes 2] [--pings-per-s 1.6] [--every 15]
import { loadavg } from 'node:os';
import { numberArgs } from './lib/args.mjs';
import { BENCH_ADMIN_PASSWORD } from './lib/auth.mjs';
import { connected, launchChromium, signIn } from './lib/browser.mjs';
import { submitCommand } from './lib/commands.mjs';
import { paced } from './lib/pacer.mjs';
import { log, printResult } from './lib/result.mjs';
import { startVigil } from './lib/server.mjs';
import { round } from './lib/stats.mjs';

const FULL_MINUTES = 10;
const full = process.env.VIGIL_BENCH_SOAK === '1';
const options = numberArgs({ minutes: full ? FULL_MINUTES : 2, pingsPerS: 1.6, every: full ? 30 : 15 });
const BASELINE_AFTER_S = 60;
const LIMIT = 1.2;
if (options.minutes < FULL_MINUTES) log(`SHORT soak: ${options.minutes} min (VIGIL_BENCH_SOAK=1 runs the full ${FULL_MINUTES} min)`);

/** Page source: counts the messages the app's EventSource receives. */
const COUNT_MESSAGES = `(() => {
  window.__messages = 0;
  const Native = window.EventSource;
  window.EventSource = class extends Native {
    constructor(url, init) { super(url, init); this.addEventListener('message', () => { window.__messages += 1; }); }
  };
})();`;

const server = await startVigil({ env: { VIGIL_SUPERVISOR: 'off' } });
const browser = await launchChromium();
const readings = [];
try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: COUNT_MESSAGES });
  const page = await context.newPage();
  await signIn(page, server.base, 'admin', BENCH_ADMIN_PASSWORD);
  await page.goto(`${server.base}/`, { waitUntil: 'load' });
  await connected(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  const started = performance.now();
  const read = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name)?.value;
    const reading = {
      seconds: round((performance.now() - started) / 1000, 1),
      heapUsedMiB: round(heap.usedSize / 2 ** 20, 2),
      domNodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
      messages: await page.evaluate('window.__messages'),
    };
    readings.push(reading);
    log(`t=${reading.seconds}s heap ${reading.heapUsedMiB} MiB, ${reading.domNodes} nodes, ${reading.messages} messages`);
  };

  const seconds = options.minutes * 60;
  const traffic = paced({
    ratePerSecond: options.pingsPerS,
    maxCount: Math.ceil(seconds * options.pingsPerS),
    maxSeconds: seconds,
    fire: () => submitCommand(server.base, server.headers, { type: 'ping', target: 'vigil', environment: 'staging' }),
  });
  await read();
  for (let next = options.every; next <= seconds; next += options.every) {
    const wait = started + next * 1000 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await read();
  }
  const sent = await traffic;
  if (sent.errors.length > 0) throw new Error(`pings failed: ${sent.errors.slice(0, 3).join('; ')}`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}

const baseline = readings.find((reading) => reading.seconds >= BASELINE_AFTER_S);
if (!baseline) throw new Error(`no reading after ${BASELINE_AFTER_S} s: run at least 2 minutes`);
const after = readings.filter((reading) => reading.seconds >= baseline.seconds);
const peak = Math.max(...after.map((reading) => reading.heapUsedMiB));
const last = readings.at(-1);
const rate = (last.messages - readings[0].messages) / (last.seconds - readings[0].seconds);
const maxRatio = round(peak / baseline.heapUsedMiB, 3);
printResult(
  'web-soak',
  [
    {
      benchmark: `web soak${options.minutes < FULL_MINUTES ? ' (SHORT)' : ''}: dashboard JS heap after GC over ${options.minutes} min at ${round(rate, 1)} messages/s (peak after minute 1 / level at minute 1)`,
      result: peak,
      unit: 'MiB',
      display: `peak ${peak} MiB, last ${last.heapUsedMiB} MiB; DOM nodes ${baseline.domNodes} → ${last.domNodes}`,
      baseline: baseline.heapUsedMiB,
      baselineDisplay: `${baseline.heapUsedMiB} MiB at ${baseline.seconds} s`,
      ratio: maxRatio,
      target: `<= ${LIMIT}x the level after the first minute`,
      met: maxRatio <= LIMIT,
    },
  ],
  { options, full, messagesPerSecond: round(rate, 2), loadAverage: loadavg(), readings },
);
