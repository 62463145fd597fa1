import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncidentBundle } from '../incident/bundle-reader';
import { BundleReplaySource } from '../incident/bundle-replay-source';
import { answerParserErrorsAsJson } from '../web/parser-errors';
import { securityHeaders } from '../web/security-headers';
import { serveWebApp } from '../web/serve-web-app';
import { readOnly } from './read-only';
import { ReviewModule } from './review.module';

export interface ReviewServerOptions {
  bundle: IncidentBundle;
  /** The built web app (dist/web/browser). */
  webRoot: string;
}

/**
 * `vigil review FILE`: a read-only Nest application over one incident bundle, with
 * the live server's controllers, error filter, security headers and web-app
 * serving. Not listening yet: the caller listens, and closes it to stop.
 */
export async function createReviewServer({ bundle, webRoot }: ReviewServerOptions): Promise<NestExpressApplication> {
  const { state: end } = await new BundleReplaySource(bundle).snapshotAt(new Date(bundle.header.to));
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest types its options as a class but takes a plain object
  const app = await NestFactory.create<NestExpressApplication>(ReviewModule.forBundle(bundle, end), {
    bodyParser: false,
    // Its own start-up lines only: Nest's route table would bury them.
    logger: ['error', 'warn'],
    // Idle keep-alive sockets must not hold the process open after Ctrl-C.
    forceCloseConnections: true,
  });
  app.disable('x-powered-by');
  answerParserErrorsAsJson(app.getHttpServer());
  app.use(securityHeaders());
  app.use(readOnly);
  serveWebApp(app, webRoot);
  return app;
}
