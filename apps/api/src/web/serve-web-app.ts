import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import send from 'send';
import serveStatic from 'serve-static';

/** Paths the web app must never shadow: unknown API routes get a JSON 404, not index.html. */
const API_PREFIXES = ['/api', '/metrics'];

/** Not a page of the web app: the API, the metrics, and any `*.json` (a client asking for a document gets a 404, not HTML). */
export function isNotAPage(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) || path.endsWith('.json');
}

/**
 * Serves the built Angular app from the API's port (the live server and a review
 * server alike) with `serve-static` (ETag, 304, HEAD, Range), and the SPA
 * fallback through `send` (the same caching headers for index.html): any other
 * GET or HEAD whose Accept header admits HTML (a page navigation, `*\/*`) gets
 * index.html so deep links work; API paths and `*.json` never do, and go on to a
 * JSON 404. Files outside the root and dot files are never served.
 */
export function serveWebApp(app: NestExpressApplication, webRoot: string): void {
  const logger = new Logger('WebApp');
  if (!existsSync(join(webRoot, 'index.html'))) {
    logger.warn(`no built web app at ${webRoot} (run "npm run build"); serving the API only`);
    return;
  }
  const files = serveStatic(webRoot, { index: false, maxAge: '1h', dotfiles: 'ignore', fallthrough: true, setHeaders: noCacheForHtml });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (isNotAPage(request.path)) {
      next();
      return;
    }
    files(request, response, next);
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    // Only a request that says what it accepts: one with no Accept header gets the 404.
    const wantsPage = request.headers.accept !== undefined && request.accepts('html') !== false;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isNotAPage(request.path) || !wantsPage) {
      next();
      return;
    }
    send(request, 'index.html', { root: webRoot, cacheControl: false })
      .on('headers', (res: Response) => res.setHeader('Cache-Control', 'no-cache'))
      .on('error', (error: unknown) => {
        next(error);
      })
      .pipe(response);
  });
}

function noCacheForHtml(response: Response, path: string): void {
  if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
