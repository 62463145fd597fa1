import type { Actor, EventMeta } from '@vigil/shared';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { sessionOf, userOf } from './session-user';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Who acts on a request that has no session (only public routes, e.g. a failed login). */
export const ANONYMOUS: Actor = { id: 'anonymous', username: 'anonymous', roles: [] };

/** Who acts: the signed-in user the AuthGuard attached (their current role), else "anonymous". */
export function actorOf(request: Request): Actor {
  const user = userOf(request);
  return user ? { id: user.id, username: user.username, roles: [user.role] } : { ...ANONYMOUS, roles: [] };
}

/** The event meta for everything a request causes. */
export function requestMeta(request: Request, environment?: string): EventMeta {
  const requestId = request.header('x-request-id');
  const token = sessionOf(request)?.token;
  return {
    actor: actorOf(request),
    ip: request.ip,
    environment,
    correlationId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    // An API token acts as its owner (the actor); the audit trail also names the token.
    ...(token ? { token: { id: token.id, name: token.name } } : {}),
  };
}
