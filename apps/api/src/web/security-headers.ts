import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's security headers with a CSP fit for the Angular app: everything from
 * this origin; inline styles (Angular inlines critical CSS); the one inline event
 * handler its critical-CSS loader uses (`onload="this.media='all'"`), allowed by
 * hash only; no upgrade-insecure-requests, since Vigil serves plain HTTP on
 * localhost. CORS stays off: the API answers its own origin only.
 */
function vigilHelmet(): ReturnType<typeof helmet> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'unsafe-hashes'", "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
}

/**
 * The headers helmet sets, worked out once: every directive is static, so every
 * response gets the same ones, and running helmet's fourteen middlewares on each
 * request (a tenth of a millisecond, a quarter of opening a stream) buys nothing.
 * helmet stays the source of the values; this only replays what it did.
 */
let computed: readonly (readonly [string, string])[] | undefined;

export function securityHeaderList(): readonly (readonly [string, string])[] {
  // Both the Express middleware and the direct stream route ask: helmet runs once.
  computed ??= recordHelmet();
  return computed;
}

function recordHelmet(): readonly (readonly [string, string])[] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name, String(value));
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
  };
  const run = { finished: false };
  const request: unknown = {};
  vigilHelmet()(request as IncomingMessage, recorder as unknown as ServerResponse, () => {
    run.finished = true;
  });
  if (!run.finished || headers.size === 0) throw new Error('helmet did not set its headers synchronously');
  return [...headers];
}

export function securityHeaders(): (request: Request, response: Response, next: NextFunction) => void {
  const headers = securityHeaderList();
  return (_request, response, next) => {
    // X-Powered-By, which helmet removes, is never set: both apps disable it.
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
