import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CSRF_HEADER } from '@vigil/shared';
import { SessionAuthenticator, presentedCredential } from '../auth/session-authenticator';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { logWhenClosed } from '../logging/access-log';
import { OwnMetrics } from '../telemetry/own-metrics';
import { securityHeaderList } from '../web/security-headers';
import { StreamHub, type OpenStreamOptions } from './stream-hub.service';
import { streamRequestOf } from './stream-request';

const STREAM_PATH = '/api/stream';

type QueryParser = (text: string) => unknown;

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * GET /api/stream for a signed-in session asking for something valid, opened on
 * the raw node:http request instead of through Express and Nest. A stream lives
 * for hours: everything the framework keeps per request (Express's request and
 * response prototypes and `locals`, the router's closures, each middleware's
 * listeners) is held that long, ten thousand times over, and its set-up is most
 * of the cost of opening one.
 *
 * It is a fast path, not a second implementation: the same authenticator, the
 * same request checks (streamRequestOf), the same security headers, access log
 * line and request count. Anything else (an API token, no session, any refusal,
 * another method or path spelling) goes to Express untouched, which answers it
 * as before, in the one error shape. Nothing is written before that decision.
 */
export class DirectStreamRoute {
  private readonly logger = new Logger('HTTP');
  private readonly headers = securityHeaderList();

  constructor(
    private readonly hub: StreamHub,
    private readonly sessions: SessionAuthenticator,
    private readonly config: VigilConfig,
    private readonly own: OwnMetrics,
    private readonly parseQuery: QueryParser,
  ) {}

  /** True when it opened the stream; false leaves the request, untouched, to Express. */
  serve(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== 'GET') return false;
    const url = request.url ?? '';
    // A '#' is cut off by Express's URL parser; such oddities stay with Express.
    if (url.includes('#')) return false;
    const mark = url.indexOf('?');
    if ((mark < 0 ? url : url.slice(0, mark)) !== STREAM_PATH) return false;
    const opened = this.check(request, mark < 0 ? '' : url.slice(mark + 1));
    if (!opened) return false;
    for (const [name, value] of this.headers) response.setHeader(name, value);
    logWhenClosed(this.logger, 'GET', STREAM_PATH, response, () => opened.username);
    response.once('finish', () => {
      this.own.countRequest(response.statusCode);
    });
    this.hub.open(response, { ...opened.options, route: 'direct' });
    return true;
  }

  /** The stream to open, or undefined when Express should answer (and explain) instead. */
  private check(request: IncomingMessage, queryText: string): { options: OpenStreamOptions; username: string } | undefined {
    try {
      const credential = presentedCredential(header(request, 'authorization'), header(request, 'cookie'));
      if (credential.kind !== 'session') return undefined;
      const session = this.sessions.session(credential.token, credential.via, 'GET', header(request, CSRF_HEADER));
      const options = streamRequestOf(session, this.parseQuery(queryText), header(request, 'last-event-id'), this.config.environments);
      return { options, username: session.user.username };
    } catch {
      return undefined;
    }
  }
}

/**
 * Puts the direct stream route in front of the Express app on the app's HTTP
 * server (before listen): one 'request' listener that tries the route first.
 */
export function routeStreamsAheadOfExpress(app: NestExpressApplication): void {
  const server = app.getHttpServer();
  const listeners = server.listeners('request') as RequestListener[];
  const [express] = listeners;
  if (listeners.length !== 1 || typeof express !== 'function')
    throw new Error(`expected one 'request' listener (Express), found ${listeners.length}`);
  const parseQuery = app.getHttpAdapter().getInstance().get('query parser fn') as QueryParser | undefined;
  const route = new DirectStreamRoute(
    app.get(StreamHub),
    app.get(SessionAuthenticator),
    app.get<VigilConfig>(VIGIL_CONFIG),
    app.get(OwnMetrics),
    // Express's own parser, so both routes read a query alike (none: an empty query, as Express gives).
    parseQuery ?? (() => Object.create(null) as unknown),
  );
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!route.serve(request, response)) express(request, response);
  });
}
