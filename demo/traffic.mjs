/**
 * Demo traffic generator: varying load (a slow wave plus bursts) on the URLs in
 * TRAFFIC_TARGETS (comma-separated), so the dashboard moves on a fresh start.
 * Only loopback targets are accepted.
 */
import { Agent, request } from 'node:http';
import { log, sleep } from './lib/service-kit.mjs';

const targets = (process.env.TRAFFIC_TARGETS ?? '')
  .split(',')
  .map((t) => t.trim())
  .filter(Boolean);
const peak = Number(process.env.TRAFFIC_PEAK_RPS ?? 40);
for (const target of targets) {
  const { hostname } = new URL(target);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) {
    log(`refusing non-loopback target ${target}`);
    process.exit(2);
  }
}
const agent = new Agent({ keepAlive: true, maxSockets: 20 });
let stopped = false;
process.on('SIGTERM', () => {
  stopped = true;
  log('SIGTERM: stopping');
  setTimeout(() => process.exit(0), 200).unref();
});

function hit(url) {
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

log(`sending traffic to ${targets.length} target(s), peak ${peak} req/s`);
let sent = 0;
let failed = 0;
const started = Date.now();
setInterval(() => {
  log(`sent ${sent} requests, ${failed} failed`);
}, 10_000).unref();
while (!stopped && targets.length > 0) {
  const t = (Date.now() - started) / 1000;
  const wave = 0.55 + 0.45 * Math.sin((2 * Math.PI * t) / 120);
  const burst = Math.random() < 0.02 ? 3 : 1;
  const rps = Math.max(1, peak * wave * burst);
  const target = targets[Math.floor(Math.random() * targets.length)];
  const path = target.includes('api') ? '/api/items' : `/page/${Math.floor(Math.random() * 10)}`;
  void hit(`${target}${path}`).then((status) => {
    sent += 1;
    if (status === 0 || status >= 500) failed += 1;
  });
  await sleep(1000 / rps);
}
