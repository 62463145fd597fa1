import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { can, denialReason, type SessionUser } from '@vigil/shared';

/**
 * An `environment` filter on /api/stream, /api/replay and its markers must name a
 * known environment (404 otherwise) that the role may view (403 otherwise).
 */
export function assertViewableEnvironment(known: readonly { name: string }[], user: SessionUser, environment: string | undefined): void {
  if (environment === undefined) return;
  if (!known.some((env) => env.name === environment)) {
    throw new NotFoundException({ message: `unknown environment "${environment}"` });
  }
  const action = { kind: 'view', environment } as const;
  if (!can(user, action)) throw new ForbiddenException({ message: denialReason(user, action) });
}
