/** Demo "worker": takes jobs from an internal queue; new jobs arrive in bursts. */
import { Counter, Gauge } from 'prom-client';
import { log, sleep, startService } from './lib/service-kit.mjs';

const { extra } = startService({
  extraMetrics: (registry) => ({
    processed: new Counter({ name: 'demo_jobs_processed_total', help: 'Jobs done', registers: [registry] }),
    depth: new Gauge({ name: 'demo_queue_depth', help: 'Jobs waiting', registers: [registry] }),
  }),
  async handle(req, res, url, extra) {
    if (url.pathname === '/enqueue' && req.method === 'POST') {
      queue += 10;
      extra.depth.set(queue);
      res.end('queued\n');
      return true;
    }
    return false;
  },
});

let queue = 0;
let stopped = false;
process.on('SIGTERM', () => {
  stopped = true;
});

(async () => {
  while (!stopped) {
    if (Math.random() < 0.2) queue += Math.floor(Math.random() * 20);
    if (queue > 0) {
      const batch = Math.min(queue, 1 + Math.floor(Math.random() * 5));
      await sleep(50 * batch);
      queue -= batch;
      extra.processed.inc(batch);
      log(`processed ${batch} job(s), ${queue} waiting`);
    } else {
      await sleep(500);
    }
    extra.depth.set(queue);
  }
})();
