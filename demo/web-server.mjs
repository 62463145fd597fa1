/** Demo "web-server": serves pages; each request takes a few milliseconds. */
import { sleep, startService } from './lib/service-kit.mjs';

startService({
  async handle(req, res, url) {
    if (url.pathname === '/' || url.pathname.startsWith('/page/')) {
      await sleep(2 + Math.random() * 8);
      res.setHeader('content-type', 'text/html');
      res.end(`<h1>demo web-server</h1><p>${url.pathname}</p>\n`);
      return true;
    }
    return false;
  },
});
