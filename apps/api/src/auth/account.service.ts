import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AccountSession, EventMeta, NewEvent } from '@vigil/shared';
import { EventStore } from '../event-store/event-store';
import type { SessionInfo } from '../common/session-user';
import { hashPassword, verifyPassword } from './password';
import { UsersProjection } from './users.projection';
import { userStreamOf, type UserRecord } from './users-state';

/**
 * "My account": what a signed-in user may do to their own account, whatever their
 * role. Each change is an event of their own user stream, as an admin's would be.
 */
@Injectable()
export class AccountService {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(UsersProjection) private readonly users: UsersProjection,
  ) {}

  /** The caller's open sessions, newest first; a bearer-token caller's own one is marked too. */
  sessions(session: SessionInfo): AccountSession[] {
    const user = this.userOf(session);
    return [...user.sessions.values()]
      .map((open) => ({
        id: open.jti,
        since: open.since,
        expiresAt: open.expiresAt,
        ...(open.ip ? { ip: open.ip } : {}),
        current: open.jti === session.jti,
      }))
      .sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : 0));
  }

  /** Ends every open session of the caller, this one included (one `user.logged-out` each). */
  async signOutEverywhere(session: SessionInfo, meta: EventMeta): Promise<number> {
    const user = this.userOf(session);
    const open = new Map(user.sessions);
    // The current session may predate this server's memory of logins (e.g. an old log): end it too.
    if (!open.has(session.jti)) open.set(session.jti, { jti: session.jti, since: '', expiresAt: session.expiresAt });
    const events: NewEvent[] = [...open.values()].map((ended) => ({
      type: 'user.logged-out',
      data: { userId: user.id, username: user.username, jti: ended.jti, expiresAt: ended.expiresAt },
    }));
    await this.store.append(userStreamOf(user.id), 'any', events, meta);
    return events.length;
  }

  /** A new password, the current one checked first; every session (this one too) ends with the old password. */
  async changePassword(session: SessionInfo, currentPassword: string, newPassword: string, meta: EventMeta): Promise<void> {
    const user = this.userOf(session);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new BadRequestException({
        message: 'the current password is not right',
        details: [{ path: 'body.currentPassword', message: 'not your current password' }],
      });
    }
    if (currentPassword === newPassword) {
      throw new BadRequestException({
        message: 'the new password is the current one',
        details: [{ path: 'body.newPassword', message: 'choose a different password' }],
      });
    }
    const data = { userId: user.id, username: user.username, passwordHash: await hashPassword(newPassword) };
    await this.store.append(userStreamOf(user.id), 'any', [{ type: 'user.password-changed', data }], meta);
  }

  private userOf(session: SessionInfo): UserRecord {
    const user = this.users.get(session.user.id);
    if (!user) throw new NotFoundException({ message: `no user ${session.user.id}` });
    return user;
  }
}
