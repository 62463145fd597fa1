import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { changePasswordSchema, type AccountSessionsResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { requestMeta } from '../common/request-meta';
import { requireSession } from '../common/session-user';
import { parseOrThrow } from '../common/validation';
import { AccountService } from './account.service';
import { clearSessionCookies } from './cookies';

/** /api/account: every signed-in user's own password and sessions (no capability needed). */
@Controller('api/account')
export class AccountController {
  constructor(@Inject(AccountService) private readonly account: AccountService) {}

  @Get('sessions')
  sessions(@Req() request: Request): AccountSessionsResponse {
    return { sessions: this.account.sessions(requireSession(request)) };
  }

  /** Ends all of the caller's sessions, this one too: the page signs in again. */
  @Post('sign-out-everywhere')
  @HttpCode(204)
  async signOutEverywhere(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.account.signOutEverywhere(requireSession(request), requestMeta(request));
    clearSessionCookies(request, response);
  }

  /** `{currentPassword, newPassword}`; ends every session opened with the old password, this one too. */
  @Post('password')
  @HttpCode(204)
  async changePassword(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    const { currentPassword, newPassword } = parseOrThrow(changePasswordSchema, body ?? null, 'body');
    await this.account.changePassword(requireSession(request), currentPassword, newPassword, requestMeta(request));
    clearSessionCookies(request, response);
  }
}
