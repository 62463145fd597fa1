import {
  ALERT_EVENT_TYPES,
  evolveAlert,
  type AlertRule,
  type AlertView,
  type EventType,
  type SilenceView,
  type StoredEvent,
} from '@vigil/shared';
import { AlertRuleSet } from './alert-rule-set';

/** A matcher silence as the log says it (whether it is still in force depends on the clock). */
export type StoredSilence = Omit<SilenceView, 'active'>;

/** What folding one event changed: the live service acts on it (evaluator, notifier). */
export type AlertsChange =
  | { kind: 'rule'; name: string; rule: AlertRule | null; previous: AlertRule | undefined }
  | { kind: 'alert'; view: AlertView }
  | { kind: 'silence'; silence: StoredSilence };

/** The event types the alerts state is folded from. */
export const ALERTS_STATE_EVENTS = [...ALERT_EVENT_TYPES, 'alert-rule.changed'] as const satisfies readonly EventType[];

/**
 * The alerting read model as the log makes it: rules (the config's, then every
 * `alert-rule.changed`), alert views and matcher silences. A pure fold, shared by
 * the live AlertsService and `vigil rebuild`'s digest, so the two cannot drift.
 */
export class AlertsState {
  readonly rules: AlertRuleSet;
  readonly views = new Map<string, AlertView>();
  readonly silences = new Map<string, StoredSilence>();
  private folded = 0;

  constructor(configured: readonly AlertRule[]) {
    this.rules = new AlertRuleSet(configured);
  }

  /** Position of the last event folded (or skipped as not an alerts event). */
  get position(): number {
    return this.folded;
  }

  /** Folds one event in, once (positions at or below the last are skipped); says what it changed. */
  apply(event: StoredEvent): AlertsChange | undefined {
    if (event.position <= this.folded) return undefined;
    this.folded = event.position;
    if (event.type === 'alert-rule.changed') {
      const { name, rule } = event.data;
      return { kind: 'rule', name, rule, previous: this.rules.apply(event) };
    }
    if (event.type === 'alert.silenced' && event.data.matchers) {
      const { silenceId, matchers, until, reason, by, schedule } = event.data;
      const silence: StoredSilence = { silenceId, matchers, until, reason, by, createdAt: event.time, ...(schedule ? { schedule } : {}) };
      this.silences.set(silenceId, silence);
      return { kind: 'silence', silence };
    }
    if (!event.type.startsWith('alert.')) return undefined;
    const alertId = (event.data as { alertId?: string }).alertId;
    const view = alertId ? evolveAlert(this.views.get(alertId), event) : undefined;
    if (!alertId || !view) return undefined;
    this.views.set(alertId, view);
    return { kind: 'alert', view };
  }

  /** The whole state as plain data (what `vigil rebuild` digests). */
  snapshot(): { rules: Record<string, AlertRule>; alerts: Record<string, AlertView>; silences: Record<string, StoredSilence> } {
    return {
      rules: Object.fromEntries(this.rules.list().map((rule) => [rule.name, rule])),
      alerts: Object.fromEntries(this.views),
      silences: Object.fromEntries(this.silences),
    };
  }
}
