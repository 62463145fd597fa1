import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { Cluster } from '../cluster/cluster';
import { SETTINGS, VIGIL_CONFIG } from '../config/config.module';
import type { Settings } from '../config/settings';
import type { VigilConfig } from '../config/vigil-config.schema';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { CsrfTokens, SessionCsrfTokens } from './csrf-tokens';
import { AUTH_SETTINGS, JWT_SECRET, loadJwtSecret, readAuthSettings, type AuthSettings } from './auth-settings';
import { FirstAdmin } from './first-admin';
import { LoginAttempts, LoginThrottleGuard } from './login-throttle';
import { SessionController } from './session.controller';
import { SessionAuthenticator } from './session-authenticator';
import { SessionTokens } from './session-tokens';
import { UsersController } from './users.controller';
import { UsersProjection } from './users.projection';
import { UsersService } from './users.service';
import { ApiTokenAuthenticator } from './tokens/api-token-authenticator';
import { TokensController } from './tokens/tokens.controller';
import { TokensProjection } from './tokens/tokens.projection';
import { TokensService } from './tokens/tokens.service';
import { LoginFailures } from './login-failures';
import { FlowSealer } from './oidc/flow-cookie';
import { OidcClient } from './oidc/oidc-client';
import { OidcController } from './oidc/oidc.controller';
import { OidcUsers } from './oidc/oidc-users';
import { UsedStates } from './oidc/used-states';

/**
 * Users, sessions and the global guard (every route needs a session unless @Public()).
 * Global so that any module can inject UsersProjection (its changes$) and SessionTokens.
 */
@Global()
@Module({
  controllers: [AuthController, SessionController, UsersController, AccountController, TokensController, OidcController],
  providers: [
    { provide: AUTH_SETTINGS, useFactory: (): AuthSettings => readAuthSettings() },
    {
      provide: JWT_SECRET,
      inject: [AUTH_SETTINGS, SETTINGS, Cluster],
      // VIGIL_JWT_SECRET; else, in a cluster, one key kept in the database (the first node creates it); else the data dir's.
      useFactory: async (auth: AuthSettings, settings: Settings, cluster: Cluster): Promise<string> =>
        auth.jwtSecret ??
        (await cluster.sharedSecret('jwt-secret', () => randomBytes(32).toString('base64url'))) ??
        loadJwtSecret(auth, settings.dataDir),
    },
    {
      provide: SessionTokens,
      inject: [JWT_SECRET, VIGIL_CONFIG],
      useFactory: (secret: string, config: VigilConfig): SessionTokens => new SessionTokens(secret, config.auth.tokenHours),
    },
    {
      provide: CsrfTokens,
      inject: [SessionTokens],
      useFactory: (tokens: SessionTokens): CsrfTokens => new SessionCsrfTokens(tokens),
    },
    UsersProjection,
    UsersService,
    AccountService,
    AuthService,
    FirstAdmin,
    LoginAttempts,
    LoginThrottleGuard,
    TokensProjection,
    TokensService,
    LoginFailures,
    OidcUsers,
    UsedStates,
    { provide: FlowSealer, inject: [JWT_SECRET], useFactory: (secret: string): FlowSealer => new FlowSealer(secret) },
    {
      provide: OidcClient,
      inject: [VIGIL_CONFIG],
      // null without auth.oidc: the SSO routes answer 404 and the login page offers none.
      useFactory: (config: VigilConfig): OidcClient | null => (config.auth.oidc ? new OidcClient(config.auth.oidc) : null),
    },
    ApiTokenAuthenticator,
    SessionAuthenticator,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [UsersProjection, SessionTokens, TokensProjection, SessionAuthenticator],
})
export class AuthModule {}
