/** Demo "api-server": a JSON API with variable latency and an occasional error. */
import { sleep, startService } from './lib/service-kit.mjs';

startService({
  async handle(req, res, url) {
    if (!url.pathname.startsWith('/api/')) return false;
    await sleep(5 + Math.random() * 30);
    res.setHeader('content-type', 'application/json');
    if (Math.random() < 0.02) {
      res.statusCode = 503;
      res.end(JSON.stringify({ error: 'upstream busy' }));
      return true;
    }
    res.end(JSON.stringify({ items: Array.from({ length: 5 }, (_, i) => ({ id: i, at: Date.now() })) }));
    return true;
  },
});
