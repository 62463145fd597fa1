import { Controller, Get, Inject, Logger, NotFoundException, Optional, Query, Req, Res } from '@nestjs/common';
import { SSO_ERROR_PARAM, type AuthMethods, type SsoErrorCode } from '@vigil/shared';
import type { Request, Response } from 'express';
import { VIGIL_CONFIG } from '../../config/config.module';
import type { VigilConfig } from '../../config/vigil-config.schema';
import { AuthService } from '../auth.service';
import { cookieOf } from '../cookies';
import { LoginFailures } from '../login-failures';
import { Public } from '../public.decorator';
import { FlowSealer, flowCookie, OIDC_FLOW_COOKIE } from './flow-cookie';
import { OidcClient } from './oidc-client';
import { OidcUsers } from './oidc-users';
import { SsoRefusal } from './sso-refusal';
import { UsedStates } from './used-states';

export const OIDC_LOGIN_PATH = '/api/auth/oidc/login';
const CALLBACK_PATH = '/api/auth/oidc/callback';
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** A path of this app (never `//host` or a full URL): where to land after signing in. */
function safeReturnTo(raw: unknown): string {
  return typeof raw === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(raw) && !raw.startsWith('/login') ? raw : '/';
}

/**
 * OpenID Connect sign-in: GET /api/auth/oidc/login sends the browser to the
 * provider (PKCE S256, state, nonce; the pending flow sealed in a cookie), and
 * GET /api/auth/oidc/callback checks them, maps the groups to a role and opens the
 * same session a password login does. Every refusal ends on the login page with
 * a code the page explains, and is recorded as user.login-failed.
 */
@Controller('api/auth')
export class OidcController {
  private readonly logger = new Logger('Oidc');

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(OidcUsers) private readonly users: OidcUsers,
    @Inject(FlowSealer) private readonly sealer: FlowSealer,
    @Inject(LoginFailures) private readonly failures: LoginFailures,
    @Inject(UsedStates) private readonly usedStates: UsedStates,
    @Optional() @Inject(OidcClient) private readonly client?: OidcClient,
  ) {}

  /** What the login page offers (no session needed). */
  @Public()
  @Get('methods')
  methods(): AuthMethods {
    const oidc = this.config.auth.oidc;
    return { password: this.config.auth.passwordLogin, ...(oidc ? { oidc: { label: oidc.label, loginUrl: OIDC_LOGIN_PATH } } : {}) };
  }

  @Public()
  @Get('oidc/login')
  async login(@Query('returnUrl') returnUrl: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    const client = this.requireClient();
    try {
      const { flow, url } = await client.begin(this.redirectUri(request), safeReturnTo(returnUrl));
      response.append('Set-Cookie', flowCookie(this.sealer.seal(flow), request.secure));
      response.redirect(302, url.href);
    } catch (error) {
      await this.refuse(error, request, response);
    }
  }

  @Public()
  @Get('oidc/callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const client = this.requireClient();
    // One flow, one try: the cookie goes whatever happens.
    response.append('Set-Cookie', flowCookie('', request.secure, 0));
    try {
      const query = new URLSearchParams(request.originalUrl.split('?')[1] ?? '');
      const flow = this.sealer.open(cookieOf(request, OIDC_FLOW_COOKIE));
      if (!flow) throw new SsoRefusal('state', 'no pending sign-in in this browser (flow cookie missing, altered or expired)');
      if (query.get('state') !== flow.state) throw new SsoRefusal('state', "state does not match this browser's sign-in");
      if (!this.usedStates.claim(flow.state, flow.expiresAt))
        throw new SsoRefusal('state', 'this sign-in was already completed (replayed callback)');
      const identity = await client.finish(flow, query);
      const user = await this.users.userFor(identity, client.config, request);
      await this.auth.openSession(user, request, response);
      response.redirect(302, flow.returnTo);
    } catch (error) {
      await this.refuse(error, request, response);
    }
  }

  private requireClient(): OidcClient {
    if (!this.client) throw new NotFoundException({ message: 'single sign-on is not configured (auth.oidc)' });
    return this.client;
  }

  /** The callback URL: configured, or this server's own as the browser reached it. */
  private redirectUri(request: Request): string {
    const configured = this.config.auth.oidc?.redirectUri;
    if (configured) return configured;
    const host = request.get('host') ?? '';
    if (!HOST.test(host))
      throw new SsoRefusal('unavailable', `cannot derive the callback URL from Host "${host.slice(0, 100)}": set auth.oidc.redirectUri`);
    return `${request.protocol}://${host}${CALLBACK_PATH}`;
  }

  private async refuse(error: unknown, request: Request, response: Response): Promise<void> {
    let refusal: SsoRefusal;
    if (error instanceof SsoRefusal) refusal = error;
    else {
      this.logger.error(`SSO sign-in failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      refusal = new SsoRefusal('exchange', 'unexpected error finishing the sign-in');
    }
    await this.failures.record(refusal.username, `sso: ${refusal.reason}`, request).catch((failure: unknown) => {
      this.logger.error(`could not record a failed SSO sign-in: ${String(failure)}`);
    });
    response.redirect(302, `/login?${SSO_ERROR_PARAM}=${encodeURIComponent(refusal.code satisfies SsoErrorCode)}`);
  }
}
