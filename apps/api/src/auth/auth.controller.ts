import { BadRequestException, Body, Controller, HttpCode, Inject, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import { loginRequestSchema, type LoginResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { AuthService } from './auth.service';
import { LoginFailures } from './login-failures';
import { LoginThrottleGuard } from './login-throttle';
import { Public } from './public.decorator';

/** Signing in and out (GET /api/auth/me, which a review server answers too, is the SessionController's). */
@Controller('api/auth')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(LoginFailures) private readonly failures: LoginFailures,
  ) {}

  /** `{username, password}` → the token, the CSRF token and the user; also sets the session and CSRF cookies. */
  @Public()
  @UseGuards(LoginThrottleGuard)
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<LoginResponse> {
    const credentials = parseOrThrow(loginRequestSchema, body ?? null, 'body');
    const { passwordLogin, breakGlassUsers, oidc } = this.config.auth;
    // With SSO in charge, a password opens only the break-glass users (decided by name, before any lookup).
    if (passwordLogin === 'break-glass' && !breakGlassUsers.includes(credentials.username.toLowerCase())) {
      await this.failures.record(credentials.username, 'password sign-in is off for this user (break-glass users only)', request, {
        typed: true,
      });
      throw new UnauthorizedException({ message: `password sign-in is turned off: use "Sign in with ${oidc?.label ?? 'SSO'}"` });
    }
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
