import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { requestMeta } from '../common/request-meta';
import { EventStore } from '../event-store/event-store';
import { UsersProjection } from './users.projection';
import { LOGIN_FAILURES_STREAM, userStreamOf } from './users-state';

/**
 * user.login-failed for sign-ins refused outside the password check (SSO refusals,
 * password sign-in turned off): in the user's stream when the name is a user's,
 * else in `login-failures`, as a failed password login is.
 */
@Injectable()
export class LoginFailures {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
  ) {}

  /** `typed`: the name was typed into a form, so unless it is a user's it may be a password typed by mistake: not stored. */
  async record(username: string, reason: string, request: Request, options: { typed?: boolean } = {}): Promise<void> {
    const user = this.users.byUsername(username.toLowerCase());
    if (!user && options.typed) username = '(unknown user)';
    await this.store.append(
      user ? userStreamOf(user.id) : LOGIN_FAILURES_STREAM,
      'any',
      [{ type: 'user.login-failed', data: { username: username.slice(0, 64), reason: reason.slice(0, 500) } }],
      requestMeta(request),
    );
  }
}
