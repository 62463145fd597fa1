import helmet from 'helmet';

/**
 * helmet's security headers with a CSP fit for the Angular app: everything from
 * this origin; inline styles (Angular inlines critical CSS); the one inline event
 * handler its critical-CSS loader uses (`onload="this.media='all'"`), allowed by
 * hash only; no upgrade-insecure-requests, since Vigil serves plain HTTP on
 * localhost. CORS stays off: the API answers its own origin only.
 */
export function securityHeaders(): ReturnType<typeof helmet> {
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
