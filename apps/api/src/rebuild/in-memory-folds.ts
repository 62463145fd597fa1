import { DashboardFold, initialDashboardState, type AlertRule, type StoredEvent } from '@vigil/shared';
import { ALERTS_STATE_EVENTS, AlertsState } from '../alerts/alerts-state';
import { USER_STATE_EVENTS } from '../auth/users.projection';
import { UsersState } from '../auth/users-state';

/**
 * The read models the server keeps in memory and folds from the log at every
 * start (DashboardProjection, UsersProjection, AlertsService), as pure folds for
 * `vigil rebuild` to digest. `state()` is what the digest covers: the part that
 * comes from the log (not live metric samples, not time-bound token revocations).
 */
export interface InMemoryFold {
  apply(event: StoredEvent): void;
  state(): unknown;
}

export interface InMemoryProjection {
  name: string;
  /** The event types the server's start-up fold reads (undefined: every event). */
  types?: readonly string[];
  create(): InMemoryFold;
}

const dashboard: InMemoryProjection = {
  name: 'dashboard',
  create() {
    // The batch fold: the same state as evolveDashboard event by event, without its per-event copies.
    const fold = new DashboardFold(initialDashboardState());
    return {
      apply: (event) => void fold.add(event),
      state: () => ({ ...fold.state(), metrics: {} }),
    };
  },
};

const users: InMemoryProjection = {
  name: 'users',
  types: USER_STATE_EVENTS,
  create() {
    const fold = new UsersState();
    return {
      apply: (event) => fold.apply(event),
      state: () => [...fold.byId.values()].sort((a, b) => a.id.localeCompare(b.id)),
    };
  },
};

/** Rules, alert views and matcher silences: the very fold AlertsService keeps live. */
function alerts(configRules: readonly AlertRule[]): InMemoryProjection {
  return {
    name: 'alerts',
    types: ALERTS_STATE_EVENTS,
    create() {
      const fold = new AlertsState(configRules);
      return {
        apply: (event) => void fold.apply(event),
        state: () => fold.snapshot(),
      };
    },
  };
}

export function inMemoryProjections(configRules: readonly AlertRule[]): InMemoryProjection[] {
  return [dashboard, users, alerts(configRules)];
}
