import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the web app must never shadow: unknown API routes get a JSON 404, not index.html. */
const API_PREFIXES = ['/api/', '/api', '/metrics'];

/**
 * Serves the built Angular app from the API's port (the live server and a review
 * server alike), with the SPA fallback: any other GET whose Accept header admits
 * HTML (a page navigation, `*\/*`) gets index.html so deep links work; anything
 * else that matches no file goes on to a JSON 404. Files outside the root and dot
 * files are never served.
 */
export function serveWebApp(app: NestExpressApplication, webRoot: string): void {
  const logger = new Logger('WebApp');
  const index = join(webRoot, 'index.html');
  if (!existsSync(index)) {
    logger.warn(`no built web app at ${webRoot} (run "npm run build"); serving the API only`);
    return;
  }
  app.useStaticAssets(webRoot, { index: false, maxAge: '1h', setHeaders: noCacheForHtml });
  app.use((request: Request, response: Response, next: NextFunction) => {
    const isApi = API_PREFIXES.some((prefix) => request.path === prefix || request.path.startsWith(`${prefix}/`));
    // Only a request that says what it accepts: one with no Accept header gets the 404.
    const wantsPage = request.headers.accept !== undefined && request.accepts('html') !== false;
    if (request.method !== 'GET' || isApi || !wantsPage) {
      next();
      return;
    }
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(index);
  });
}

function noCacheForHtml(response: Response, path: string): void {
  if (path.endsWith('.html')) response.setHeader('Cache-Control', 'no-cache');
}
