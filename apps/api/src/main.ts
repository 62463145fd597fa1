import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { config as rxjsConfig } from 'rxjs';
import { AppModule } from './app.module';
import { rejectForbiddenKeys } from './common/forbidden-keys';
import { listeningUrl } from './common/listening-url';
import { claimServerLock } from './common/server-lock';
import { VIGIL_CONFIG, SETTINGS } from './config/config.module';
import { ConfigError } from './config/load-config';
import type { Settings } from './config/settings';
import type { VigilConfig } from './config/vigil-config.schema';
import { accessLog } from './logging/access-log';
import { vigilLogger } from './logging/vigil-logger';
import { preflight } from './startup/preflight';
import { routeStreamsAheadOfExpress } from './streaming/direct-stream-route';
import { OwnMetrics } from './telemetry/own-metrics';
import { answerParserErrorsAsJson } from './web/parser-errors';
import { securityHeaders } from './web/security-headers';
import { serveWebApp } from './web/serve-web-app';

const logger = new Logger('Vigil');

// A subscriber that throws must never take the process down with it.
rxjsConfig.onUnhandledError = (error: unknown) => {
  logger.error(`unhandled error in a subscriber: ${String(error)}`);
};
process.on('unhandledRejection', (reason) => {
  logger.error(`unhandled rejection: ${String(reason)}`);
});

async function bootstrap(): Promise<void> {
  try {
    preflight();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`vigil: ${error.message}\n`);
    process.exit(1);
  }
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest types its options as a class but takes a plain object
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bodyParser: false, bufferLogs: false, logger: vigilLogger() });
  const settings = app.get<Settings>(SETTINGS);
  const config = app.get<VigilConfig>(VIGIL_CONFIG);
  // Before the projections start (in listen): `vigil rebuild` refuses while this is held.
  process.once('exit', claimServerLock(settings.dataDir));

  app.disable('x-powered-by');
  // X-Forwarded-For only from the configured proxies (none by default).
  app.set('trust proxy', config.http.trustProxy.length > 0 ? config.http.trustProxy : false);
  answerParserErrorsAsJson(app.getHttpServer());
  app.use(accessLog());
  app.use(securityHeaders());
  const own = app.get(OwnMetrics);
  // Counts every answered request for the `vigil` source and GET /metrics.
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.once('finish', () => {
      own.countRequest(response.statusCode);
    });
    next();
  });
  app.useBodyParser('json', { limit: `${config.http.bodyLimitKiB}kb`, strict: true, reviver: rejectForbiddenKeys });
  serveWebApp(app, settings.webRoot);
  // Long-lived streams skip the framework (nothing of it held per stream for hours).
  routeStreamsAheadOfExpress(app);
  closeOnSignals(app);

  await app.listen(settings.port, settings.host);
  const server = app.getHttpServer();
  logger.log(`listening on ${listeningUrl(server.address(), settings.port)} (data in ${settings.dataDir})`);
}

/**
 * Graceful shutdown: streams get a final "closed" message, queued appends are
 * committed, the log is closed, then exit 0. A second signal, or 10 s, forces it.
 */
function closeOnSignals(app: NestExpressApplication): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    closing = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => {
      logger.error('shutdown took over 10 s: exiting');
      process.exit(1);
    }, 10_000).unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) logger.error(error.message);
  else logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
