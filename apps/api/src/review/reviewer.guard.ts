import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { assertCapability } from '../auth/require-capability.decorator';
import { setSession } from '../common/session-user';
import { reviewerSession } from './reviewer-session';

/**
 * The review server's global guard, in place of the AuthGuard: every request is
 * the reviewer's (no sign-in), and a route's @RequireCapability is checked against
 * the reviewer's grants exactly as the AuthGuard checks a user's.
 */
@Injectable()
export class ReviewerGuard implements CanActivate {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const session = reviewerSession();
    setSession(context.switchToHttp().getRequest<Request>(), session);
    assertCapability(this.reflector, context, session.user);
    return true;
  }
}
