// The server's own event-loop delay, read from its GET /metrics without changing
// server code: prom-client's default metrics keep a monitorEventLoopDelay histogram
// (10 ms resolution) that every scrape reads and resets. So scrape once to open a
// window and again to read it (nothing else scrapes a bench's server). Node's
// figures include the 10 ms sampling interval (an idle loop reads ~10 ms); `*Ms` are
// the delay beyond it, `raw` the figures as exposed.
import { request } from './http.mjs';

const RESOLUTION_MS = 10;
const NAMES = { min: 'min', p50: 'p50', p90: 'p90', p99: 'p99', max: 'max', mean: 'mean' };

/** One scrape: the window since the previous one, or undefined if /metrics has no such figures. */
export async function scrapeLoopDelay(base, headers = {}) {
  const res = await request(`${base}/metrics`, { headers });
  if (res.status !== 200) return undefined;
  const raw = {};
  for (const [key, name] of Object.entries(NAMES)) {
    const match = new RegExp(`^(?:vigil_)?nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(res.text);
    if (!match) return undefined;
    raw[key] = Number(match[1]) * 1000;
  }
  const beyond = (ms) => Math.round(Math.max(0, ms - RESOLUTION_MS) * 100) / 100;
  return {
    p50Ms: beyond(raw.p50),
    p90Ms: beyond(raw.p90),
    p99Ms: beyond(raw.p99),
    maxMs: beyond(raw.max),
    meanMs: beyond(raw.mean),
    raw: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  };
}
