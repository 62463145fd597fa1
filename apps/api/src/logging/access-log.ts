import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { sessionOf } from '../common/session-user';

/**
 * One line per answered request: method, path (never the query string, which may
 * carry a resume id or a filter, nor any header or body, which may carry a token),
 * status, duration and the signed-in user. Streams log when they end.
 */
export function accessLog(): (request: Request, response: Response, next: NextFunction) => void {
  const logger = new Logger('HTTP');
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      const user = sessionOf(request)?.user.username;
      const path = request.originalUrl.split('?')[0] ?? '/';
      const status = response.headersSent ? response.statusCode : 0;
      logger.log(`${request.method} ${path} ${status} ${durationMs}ms${user ? ` ${user}` : ''}`, {
        method: request.method,
        path,
        status,
        durationMs,
        ...(user ? { user } : {}),
      });
    });
    next();
  };
}
