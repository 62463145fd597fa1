import { can, type SessionUser, type StoredEvent } from '@vigil/shared';

/**
 * What one stream's user may see: events and metrics of the environments their
 * role may view, host-wide data, and user events only with users.manage.
 * Applied to live events, catch-up and the snapshot alike.
 */
export interface StreamAccess {
  userId: string;
  /** The session (token id) the stream was opened with: logging out closes it. */
  sessionId: string;
  /** Streams of users with the same role share one match decision. */
  role: string;
  visible(environment: string | undefined): boolean;
  seeUsers: boolean;
}

export function accessFor(user: SessionUser, sessionId: string): StreamAccess {
  const seeUsers = can(user, { kind: 'capability', capability: 'users.manage' });
  const cache = new Map<string, boolean>();
  return {
    userId: user.id,
    sessionId,
    role: user.role,
    seeUsers,
    visible(environment) {
      if (environment === undefined) return true;
      let allowed = cache.get(environment);
      if (allowed === undefined) {
        allowed = can(user, { kind: 'view', environment });
        cache.set(environment, allowed);
      }
      return allowed;
    },
  };
}

export function accessAllows(access: StreamAccess, event: Pick<StoredEvent, 'type' | 'meta'>): boolean {
  if (event.type.startsWith('user.')) return access.seeUsers;
  return access.visible(event.meta.environment);
}
