import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { EventMeta, LoginResponse } from '@vigil/shared';
import type { Request, Response } from 'express';
import { requestMeta } from '../common/request-meta';
import { VIGIL_CONFIG } from '../config/config.module';
import type { VigilConfig } from '../config/vigil-config.schema';
import { EventStore } from '../event-store/event-store';
import { clearSessionCookies, setSessionCookies } from './cookies';
import { JWT_SECRET } from './auth-settings';
import { LoginAttempts, loginUserKey } from './login-throttle';
import { spendOneHash, verifyPassword } from './password';
import { SessionTokens } from './session-tokens';
import type { SessionInfo } from '../common/session-user';
import { sessionUserOf } from './user-events';
import { unknownUsernameLabel } from './unknown-username';
import { UsersProjection } from './users.projection';
import { LOGIN_FAILURES_STREAM, userStreamOf, type UserRecord } from './users-state';

/** One answer for every failed login, so it never tells which part was wrong. */
export const LOGIN_FAILED_MESSAGE = 'invalid username or password';

@Injectable()
export class AuthService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
    @Inject(SessionTokens) private readonly tokens: SessionTokens,
    @Inject(LoginAttempts) private readonly attempts: LoginAttempts,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    @Inject(JWT_SECRET) private readonly secret: string,
  ) {}

  async login(credentials: { username: string; password: string }, request: Request, response: Response): Promise<LoginResponse> {
    const username = credentials.username.toLowerCase();
    const meta = requestMeta(request);
    const user = this.users.byUsername(username);
    // Read before the password check awaits: a change folded meanwhile must end this session too.
    const sessionGeneration = user?.sessionGeneration ?? 0;
    let failure: string | undefined;
    if (!user) {
      // The same scrypt a real check costs: timing does not tell which usernames exist.
      await spendOneHash(credentials.password);
      failure = 'unknown user';
    } else if (!(await verifyPassword(credentials.password, user.passwordHash))) {
      failure = 'wrong password';
    } else if (user.disabled) {
      failure = 'user disabled';
    }
    if (failure || !user) {
      // The attempted username and why, never the password; an unknown name only as a hash (it may be a password).
      const recorded = user ? user.username : unknownUsernameLabel(this.secret, credentials.username);
      await this.store.append(
        user ? userStreamOf(user.id) : LOGIN_FAILURES_STREAM,
        'any',
        [{ type: 'user.login-failed', data: { username: recorded, reason: failure ?? 'unknown user' } }],
        meta,
      );
      throw new UnauthorizedException({ message: LOGIN_FAILED_MESSAGE });
    }
    this.attempts.forget(loginUserKey(request.ip, username));
    return this.openSession(user, request, response, sessionGeneration);
  }

  /**
   * The session every sign-in ends with (password or SSO): a token, user.logged-in,
   * and the session and CSRF cookies.
   */
  async openSession(
    user: UserRecord,
    request: Request,
    response: Response,
    sessionGeneration = user.sessionGeneration,
  ): Promise<LoginResponse> {
    const issued = this.tokens.issue({ id: user.id, username: user.username, sessionGeneration });
    const actorMeta: EventMeta = { ...requestMeta(request), actor: { id: user.id, username: user.username, roles: [user.role] } };
    await this.store.append(
      userStreamOf(user.id),
      'any',
      [{ type: 'user.logged-in', data: { userId: user.id, username: user.username, jti: issued.claims.jti, expiresAt: issued.expiresAt } }],
      actorMeta,
    );
    setSessionCookies(request, response, issued.token, issued.csrfToken, issued.lifetimeSeconds);
    return { accessToken: issued.token, csrfToken: issued.csrfToken, expiresAt: issued.expiresAt, user: sessionUserOf(this.config, user) };
  }

  /** Revokes the session's token (user.logged-out) and clears both cookies. */
  async logout(session: SessionInfo, request: Request, response: Response): Promise<void> {
    await this.store.append(
      userStreamOf(session.user.id),
      'any',
      [
        {
          type: 'user.logged-out',
          data: { userId: session.user.id, username: session.user.username, jti: session.jti, expiresAt: session.expiresAt },
        },
      ],
      requestMeta(request),
    );
    clearSessionCookies(request, response);
  }
}
