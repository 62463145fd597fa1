import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { loginRequestSchema, type LoginResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { AuthService } from './auth.service';
import { LoginThrottleGuard } from './login-throttle';
import { Public } from './public.decorator';

/** Signing in and out (GET /api/auth/me, which a review server answers too, is the SessionController's). */
@Controller('api/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  /** `{username, password}` → the token, the CSRF token and the user; also sets the session and CSRF cookies. */
  @Public()
  @UseGuards(LoginThrottleGuard)
  @Post('login')
  @HttpCode(200)
  login(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    const credentials = parseOrThrow(loginRequestSchema, body ?? null, 'body');
    return this.auth.login(credentials, request, response);
  }

  /** Ends this session: its token is refused from now on, and the cookies are cleared. */
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const session = requireSession(request);
    if (session.via === 'token')
      throw new BadRequestException({ message: 'an API token is not a session: revoke it with DELETE /api/tokens/:id' });
    await this.auth.logout(session, request, response);
  }
}
