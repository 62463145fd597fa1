import { Logger } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { sessionOf } from '../common/session-user';

/**
 * Logs one line when the response closes: method, path, status, duration and the
 * signed-in user (asked for then, since the guard attaches it after this starts).
 */
export function logWhenClosed(
  logger: Logger,
  method: string,
  path: string,
  response: ServerResponse,
  userOf: () => string | undefined,
): void {
  const started = process.hrtime.bigint();
  response.once('close', () => {
    const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
    const user = userOf();
    const status = response.headersSent ? response.statusCode : 0;
    logger.log(`${method} ${path} ${status} ${durationMs}ms${user ? ` ${user}` : ''}`, {
      method,
      path,
      status,
      durationMs,
      ...(user ? { user } : {}),
    });
  });
}

/**
 * One line per answered request: method, path (never the query string, which may
 * carry a resume id or a filter, nor any header or body, which may carry a token),
 * status, duration and the signed-in user. Streams log when they end.
 */
export function accessLog(): (request: Request, response: Response, next: NextFunction) => void {
  const logger = new Logger('HTTP');
  return (request, response, next) => {
    logWhenClosed(logger, request.method, request.originalUrl.split('?')[0] ?? '/', response, () => sessionOf(request)?.user.username);
    next();
  };
}
