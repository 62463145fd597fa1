import type { StoredEvent } from '@vigil/shared';
import { filter, map, merge, type Observable } from 'rxjs';
import type { UsersProjection } from '../auth/users.projection';

/** A user's rights ended or changed: their open streams (all, or one session's) must close. */
export interface AccessEnd {
  userId: string;
  /** Only this session's streams (a logout); absent: every stream of the user. */
  sessionId?: string;
  reason: string;
}

/**
 * Every moment open streams must be closed for: a disabled user or a changed role
 * (the client reconnects under its new rights or not at all), and a logout (the
 * streams of that session). Live streams and replays both follow it.
 */
export function accessEnds(users: UsersProjection, events$: Observable<StoredEvent>): Observable<AccessEnd> {
  return merge(
    users.changes$.pipe(map(({ userId, reason }): AccessEnd => ({ userId, reason }))),
    events$.pipe(
      filter((event) => event.type === 'user.logged-out'),
      map((event): AccessEnd => {
        const data = event.data as { userId: string; jti: string };
        return { userId: data.userId, sessionId: data.jti, reason: 'signed out' };
      }),
    ),
    // A revoked API token: the streams opened with it (their session id is `token:<id>`).
    events$.pipe(
      filter((event) => event.type === 'token.revoked'),
      map((event): AccessEnd => {
        const data = event.data as { ownerId: string; tokenId: string };
        return { userId: data.ownerId, sessionId: `token:${data.tokenId}`, reason: 'API token revoked' };
      }),
    ),
  );
}
