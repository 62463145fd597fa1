import type { Actor, EventMeta } from '@vigil/shared';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

const HEADER_USER = /^[A-Za-z0-9._@-]{1,64}$/;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Who acts. Until the identity issue lands, the actor is the X-Vigil-User header
 * (validated, never trusted for anything but attribution) or "anonymous".
 */
export function actorOf(request: Request): Actor {
  const header = request.header('x-vigil-user');
  const username = header && HEADER_USER.test(header) ? header : 'anonymous';
  return { id: username, username, roles: [] };
}

/** The event meta for everything a request causes. */
export function requestMeta(request: Request, environment?: string): EventMeta {
  const requestId = request.header('x-request-id');
  return {
    actor: actorOf(request),
    ip: request.ip,
    environment,
    correlationId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
  };
}
