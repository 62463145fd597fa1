/**
 * What every demo service shares: its identity from the supervisor's environment,
 * the version it reports (switched by the demo deploy script), Prometheus metrics,
 * request logging to stdout, /health, and a clean exit on SIGTERM.
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function identity() {
  const versionFile = process.env.VIGIL_VERSION_FILE;
  const version = versionFile && existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : '1.0.0';
  return {
    service: process.env.VIGIL_SERVICE ?? 'demo',
    environment: process.env.VIGIL_ENVIRONMENT ?? 'local',
    instance: Number(process.env.VIGIL_INSTANCE ?? 0),
    port: Number(process.env.PORT ?? 0),
    version,
  };
}

export function log(message) {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

/** Starts an HTTP service; `handle(req, res, url)` returns false for "not mine" (404). */
export function startService({ handle, extraMetrics } = {}) {
  const id = identity();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'demo_' });
  const requests = new Counter({ name: 'demo_requests_total', help: 'HTTP requests served', labelNames: ['code'], registers: [registry] });
  const active = new Gauge({ name: 'demo_active_connections', help: 'Open HTTP connections', registers: [registry] });
  const latency = new Histogram({
    name: 'demo_request_duration_seconds',
    help: 'Request latency',
    buckets: [0.005, 0.02, 0.1, 0.5],
    registers: [registry],
  });
  new Gauge({ name: 'demo_version_info', help: 'Running version (value 1)', labelNames: ['version'], registers: [registry] }).set(
    { version: id.version },
    1,
  );
  const extra = extraMetrics ? extraMetrics(registry) : {};

  const server = createServer(async (req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ code: String(res.statusCode) });
      latency.observe(seconds);
      if (url.pathname !== '/metrics' && url.pathname !== '/health') {
        log(`${req.method} ${url.pathname} ${res.statusCode} ${(seconds * 1000).toFixed(1)}ms`);
      }
    });
    try {
      if (url.pathname === '/health') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'ok', ...id, pid: process.pid }));
      } else if (url.pathname === '/metrics') {
        res.setHeader('content-type', registry.contentType);
        res.end(await registry.metrics());
      } else if (!(handle && (await handle(req, res, url, extra)))) {
        res.statusCode = 404;
        res.end('not found\n');
      }
    } catch (error) {
      res.statusCode = 500;
      res.end('internal error\n');
      log(`error: ${error.message}`);
    }
  });
  server.on('connection', (socket) => {
    active.inc();
    socket.on('close', () => active.dec());
  });
  server.listen(id.port, '127.0.0.1', () => {
    log(`${id.service}@${id.environment} #${id.instance} version ${id.version} listening on ${server.address().port} (pid ${process.pid})`);
  });

  const stop = (signal) => {
    log(`${signal}: shutting down`);
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  return { id, registry, server, extra };
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
