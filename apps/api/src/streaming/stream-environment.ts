import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { can, denialReason, type SessionUser } from '@vigil/shared';
import type { VigilConfig } from '../config/vigil-config.schema';

/**
 * An `environment` filter on /api/stream, /api/replay and its markers must name a
 * configured environment (404 otherwise) that the role may view (403 otherwise).
 */
export function assertViewableEnvironment(config: VigilConfig, user: SessionUser, environment: string | undefined): void {
  if (environment === undefined) return;
  if (!config.environments.some((env) => env.name === environment)) {
    throw new NotFoundException({ message: `unknown environment "${environment}"` });
  }
  const action = { kind: 'view', environment } as const;
  if (!can(user, action)) throw new ForbiddenException({ message: denialReason(user, action) });
}
