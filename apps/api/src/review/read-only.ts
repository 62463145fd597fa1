import { MethodNotAllowedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { toErrorBody } from '../web/api-exception.filter';

/** A review server changes nothing: any method but GET is a 405 (with `Allow: GET`), whatever the path. */
export function readOnly(request: Request, response: Response, next: NextFunction): void {
  if (request.method === 'GET') {
    next();
    return;
  }
  response.setHeader('Allow', 'GET');
  response
    .status(405)
    .json(toErrorBody(new MethodNotAllowedException(`${request.method} is not allowed: this review server is read-only`)));
}
