import {
  can,
  dashboardForEnvironment,
  environmentMatches,
  filterDashboard,
  isWatchEvent,
  matchesFilter,
  typeMatches,
  type DashboardState,
  type MetricSample,
  type SessionUser,
  type StoredEvent,
  type StreamFilter,
} from '@vigil/shared';

/**
 * What one stream's user may see: events and metrics of the environments their
 * role may view, host-wide data, and user events only with users.manage.
 * Applied to live events, catch-up and the snapshot alike.
 */
export interface StreamAccess {
  userId: string;
  username: string;
  /** The session (token id) the stream was opened with: logging out closes it. */
  sessionId: string;
  /** Streams of users with the same role share one match decision. */
  role: string;
  /** A function property, not a method: it is handed around on its own (it uses no `this`). */
  visible: (environment: string | undefined) => boolean;
  seeUsers: boolean;
}

export function accessFor(user: SessionUser, sessionId: string): StreamAccess {
  const seeUsers = can(user, { kind: 'capability', capability: 'users.manage' });
  const cache = new Map<string, boolean>();
  return {
    userId: user.id,
    username: user.username,
    sessionId,
    // An API token's stream sees only what its scope allows: it shares no decision with its role.
    role: user.scope ? `${user.role}|${sessionId}` : user.role,
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
  if (event.type.startsWith('user.') || event.type.startsWith('token.')) return access.seeUsers;
  return access.visible(event.meta.environment);
}

/** Whether one stream (its filter and its viewer) gets this event: live, catch-up and replay alike. */
export function streamGetsEvent(filter: StreamFilter, access: StreamAccess, event: Pick<StoredEvent, 'type' | 'meta'>): boolean {
  // Who watched goes only to a stream that asks for it by name (types=stream.*), and only with users.manage.
  if (isWatchEvent(event))
    return access.seeUsers && (filter.types ?? []).some((pattern) => pattern.startsWith('stream.')) && matchesFilter(event, filter);
  return matchesFilter(event, filter) && accessAllows(access, event);
}

/** Whether one stream gets this metrics sample (`types` must admit `metrics`). */
export function streamGetsSample(filter: StreamFilter, access: StreamAccess, sample: Pick<MetricSample, 'environment'>): boolean {
  return (
    typeMatches('metrics', filter.types) && environmentMatches(sample.environment, filter.environment) && access.visible(sample.environment)
  );
}

/** The part of a dashboard state one stream's snapshot carries. */
export function snapshotFor(state: DashboardState, filter: StreamFilter, access: StreamAccess): DashboardState {
  return filterDashboard(dashboardForEnvironment(state, filter.environment), access.visible, access.seeUsers);
}
