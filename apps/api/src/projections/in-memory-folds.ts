import {
  DashboardFold,
  evolveAlert,
  initialDashboardState,
  type AlertRule,
  type AlertView,
  type SilenceView,
  type StoredEvent,
} from '@vigil/shared';
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

/** Rules (config, then alert-rule.changed), alert views and matcher silences, as AlertsService folds them. */
function alerts(configRules: readonly AlertRule[]): InMemoryProjection {
  return {
    name: 'alerts',
    types: ['alert.raised', 'alert.resolved', 'alert.acknowledged', 'alert.silenced', 'alert-rule.changed'],
    create() {
      const rules = new Map(configRules.map((rule) => [rule.name, rule]));
      const views = new Map<string, AlertView>();
      const silences = new Map<string, Omit<SilenceView, 'active'>>();
      let position = 0;
      return {
        apply(event) {
          if (event.position <= position) return;
          position = event.position;
          if (event.type === 'alert-rule.changed') {
            if (event.data.rule) rules.set(event.data.name, event.data.rule);
            else rules.delete(event.data.name);
          } else if (event.type === 'alert.silenced' && event.data.matchers) {
            const { silenceId, matchers, until, reason, by } = event.data;
            silences.set(silenceId, { silenceId, matchers, until, reason, by, createdAt: event.time });
          } else if (event.type.startsWith('alert.')) {
            const alertId = (event.data as { alertId?: string }).alertId;
            const view = alertId ? evolveAlert(views.get(alertId), event) : undefined;
            if (alertId && view) views.set(alertId, view);
          }
        },
        state: () => ({ rules: Object.fromEntries(rules), alerts: Object.fromEntries(views), silences: Object.fromEntries(silences) }),
      };
    },
  };
}

export function inMemoryProjections(configRules: readonly AlertRule[]): InMemoryProjection[] {
  return [dashboard, users, alerts(configRules)];
}
