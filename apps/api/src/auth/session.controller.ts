import { Controller, Get, Inject, Req } from '@nestjs/common';
import type { MeResponse } from '@vigil/shared';
import type { Request } from 'express';
import { requireSession } from '../common/session-user';
import { CsrfTokens } from './csrf-tokens';

/** GET /api/auth/me: the session the guard attached (a signed-in user; on a review server, the reviewer). */
@Controller('api/auth')
export class SessionController {
  constructor(@Inject(CsrfTokens) private readonly csrf: CsrfTokens) {}

  @Get('me')
  me(@Req() request: Request): MeResponse {
    const session = requireSession(request);
    return { user: session.user, csrfToken: this.csrf.tokenFor(session), expiresAt: session.expiresAt };
  }
}
