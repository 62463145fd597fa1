import { type ExecutionContext, ForbiddenException, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { can, denialReason, type Capability, type SessionUser } from '@vigil/shared';

export const REQUIRED_CAPABILITY = 'vigil:capability';

/** The session's role must grant this capability (checked by the global guard: 403 otherwise). */
export const RequireCapability = (capability: Capability): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_CAPABILITY, capability);

/** The 403 when the route (its handler or its class) requires a capability the user's role lacks. */
export function assertCapability(reflector: Reflector, context: ExecutionContext, user: SessionUser): void {
  const capability = reflector.getAllAndOverride<Capability | undefined>(REQUIRED_CAPABILITY, [context.getHandler(), context.getClass()]);
  if (!capability) return;
  const action = { kind: 'capability', capability } as const;
  if (!can(user, action)) throw new ForbiddenException({ message: denialReason(user, action) });
}
