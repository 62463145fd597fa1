import type { AlertRule, EventType, SilenceMatchers, StoredEvent } from './events';
import type { Severity } from './severities';

/**
 * Alerts as the API lists them and the dashboard shows them: one view per alert,
 * folded from the alert's own stream (`alert-<alertId>`) by `evolveAlert`.
 */

export type AlertState = 'firing' | 'resolved';

/** The states GET /api/alerts?state= filters on: an alert's state, or whether it is acknowledged or silenced. */
export const ALERT_LIST_STATES = ['firing', 'resolved', 'acknowledged', 'silenced'] as const;
export type AlertListState = (typeof ALERT_LIST_STATES)[number];

export interface AlertTimelineEntry {
  type: 'raised' | 'resolved' | 'acknowledged' | 'silenced' | 'inhibited' | 'ack-expired';
  at: string;
  position: number;
  by?: string;
  comment?: string;
  value?: number | null;
  until?: string;
}

export interface AlertView {
  alertId: string;
  rule: string;
  ruleKind: AlertRule['kind'];
  source: string;
  environment?: string;
  metric: string;
  severity: Severity;
  labels: Record<string, string>;
  message: string;
  threshold: number;
  /** The value when it fired. */
  value: number;
  state: AlertState;
  startedAt: string;
  resolvedAt?: string;
  /** The value that resolved it. */
  resolvedValue?: number | null;
  acknowledged?: { by: string; comment: string; at: string; expiresAt?: string };
  /** Raised while another alert that inhibits it fired: recorded, not notified. */
  inhibitedBy?: string;
  /** The alert's own silence (the API also marks alerts covered by a matcher silence). */
  silenced?: { until: string; reason: string; by: string; at: string; silenceId: string };
  timeline: AlertTimelineEntry[];
  /** Position of the last event folded in. */
  position: number;
}

/**
 * GET /api/alert-rules: the rules in force now, or with `?at=` at that time (a review
 * server: as the bundle records them), which is what a replay's cards are judged by.
 */
export interface AlertRulesResponse {
  rules: AlertRule[];
}

/** The rules in force from `at` until the next moment of a timeline (ordered by `at`). */
export interface AlertRulesMoment {
  at: string;
  rules: AlertRule[];
}

/** The rules a timeline says were in force at `at` (epoch ms): its first entry for earlier times. */
export function rulesInForceAt(timeline: readonly AlertRulesMoment[], at: number): AlertRule[] | undefined {
  let found = timeline.at(0);
  for (const moment of timeline) {
    if (Date.parse(moment.at) > at) break;
    found = moment;
  }
  return found?.rules;
}

/** A matcher silence as GET /api/silences lists it. */
export interface SilenceView {
  silenceId: string;
  matchers: SilenceMatchers;
  until: string;
  reason: string;
  by: string;
  createdAt: string;
  active: boolean;
  /** A recurring maintenance window: in force only during each occurrence (cron, UTC) of `durationMinutes`. */
  schedule?: SilenceSchedule;
  /** For a recurring one, the occurrence in force, else the next (worked out by the server, which parses cron). */
  occurrence?: { start: string; end: string };
}

export interface SilenceSchedule {
  cron: string;
  durationMinutes: number;
}

export const ALERT_EVENT_TYPES = [
  'alert.raised',
  'alert.resolved',
  'alert.acknowledged',
  'alert.silenced',
  'alert.inhibited',
  'alert.ack-expired',
] as const satisfies readonly EventType[];

export function alertStreamOf(alertId: string): string {
  return `alert-${alertId}`;
}

export const SILENCES_STREAM = 'silences';
export const ALERT_RULES_STREAM = 'alert-rules';

/**
 * The alert fold: `alert.raised` starts a view, the alert's later events change it;
 * events of other alerts (and matcher silences) leave it as it is. Pure.
 */
export function evolveAlert(view: AlertView | undefined, event: StoredEvent): AlertView | undefined {
  if (view && event.position <= view.position) return view;
  switch (event.type) {
    case 'alert.raised': {
      if (view) return view;
      const d = event.data;
      return {
        alertId: d.alertId,
        rule: d.rule.name,
        ruleKind: d.rule.kind,
        source: d.source,
        environment: d.environment,
        metric: d.metric,
        severity: d.severity,
        labels: { ...d.labels },
        message: d.message,
        threshold: d.threshold,
        value: d.value,
        state: 'firing',
        startedAt: d.startedAt,
        timeline: [{ type: 'raised', at: event.time, position: event.position, value: d.value }],
        position: event.position,
      };
    }
    case 'alert.resolved': {
      if (view?.alertId !== event.data.alertId || view.state === 'resolved') return view;
      return {
        ...view,
        state: 'resolved',
        resolvedAt: event.data.resolvedAt,
        resolvedValue: event.data.value,
        timeline: [...view.timeline, { type: 'resolved', at: event.time, position: event.position, value: event.data.value }],
        position: event.position,
      };
    }
    case 'alert.acknowledged': {
      if (view?.alertId !== event.data.alertId) return view;
      const { by, comment, expiresAt } = event.data;
      return {
        ...view,
        acknowledged: { by, comment, at: event.time, ...(expiresAt ? { expiresAt } : {}) },
        timeline: [...view.timeline, { type: 'acknowledged', at: event.time, position: event.position, by, comment }],
        position: event.position,
      };
    }
    case 'alert.silenced': {
      if (!view || event.data.alertId !== view.alertId) return view;
      const { by, until, reason, silenceId } = event.data;
      return {
        ...view,
        silenced: { by, until, reason, silenceId, at: event.time },
        timeline: [...view.timeline, { type: 'silenced', at: event.time, position: event.position, by, until, comment: reason }],
        position: event.position,
      };
    }
    case 'alert.inhibited': {
      if (view?.alertId !== event.data.alertId) return view;
      return {
        ...view,
        inhibitedBy: event.data.byAlertId,
        timeline: [...view.timeline, { type: 'inhibited', at: event.time, position: event.position, comment: event.data.inhibition }],
        position: event.position,
      };
    }
    case 'alert.ack-expired': {
      if (view?.alertId !== event.data.alertId) return view;
      const { acknowledged: _lapsed, ...rest } = view;
      return {
        ...rest,
        timeline: [...view.timeline, { type: 'ack-expired', at: event.time, position: event.position, by: event.data.by }],
        position: event.position,
      };
    }
    default:
      return view;
  }
}

/** Folds an alert's stream; undefined when it holds no `alert.raised`. */
export function foldAlert(events: readonly StoredEvent[]): AlertView | undefined {
  return events.reduce<AlertView | undefined>(evolveAlert, undefined);
}

/** The order alerts are listed in (GET /api/alerts, the alerts panel): firing first, then newest first. */
export function compareAlerts(
  a: Pick<AlertView, 'state' | 'startedAt' | 'position'>,
  b: Pick<AlertView, 'state' | 'startedAt' | 'position'>,
): number {
  return Number(b.state === 'firing') - Number(a.state === 'firing') || b.startedAt.localeCompare(a.startedAt) || b.position - a.position;
}

/** Whether a matcher silence covers an alert (every given matcher must match). */
export function silenceMatches(matchers: SilenceMatchers, alert: Pick<AlertView, 'environment' | 'rule' | 'labels'>): boolean {
  if (matchers.environment !== undefined && matchers.environment !== alert.environment) return false;
  if (matchers.rule !== undefined && matchers.rule !== alert.rule) return false;
  for (const [key, value] of Object.entries(matchers.labels ?? {})) {
    if (alert.labels[key] !== value) return false;
  }
  return true;
}

/** Whether a matcher silence is in force at `now` (ms): from its creation until `until`. */
export function silenceActiveAt(silence: Pick<SilenceView, 'createdAt' | 'until' | 'schedule' | 'occurrence'>, now: number): boolean {
  if (!(Date.parse(silence.createdAt) <= now && Date.parse(silence.until) > now)) return false;
  if (!silence.schedule) return true;
  // Recurring: only inside the occurrence the server worked out.
  return silence.occurrence !== undefined && Date.parse(silence.occurrence.start) <= now && Date.parse(silence.occurrence.end) > now;
}

/**
 * Matcher silences as GET /api/silences lists them at `now` (ms): each with whether it
 * is in force then, those in force first, then newest first. The API, a review server
 * and the web app's list (at its own clock) all order them so.
 */
export function silencesAt(silences: Iterable<Omit<SilenceView, 'active'>>, now: number): SilenceView[] {
  return [...silences]
    .map((silence) => ({ ...silence, active: silenceActiveAt(silence, now) }))
    .sort((a, b) => Number(b.active) - Number(a.active) || b.createdAt.localeCompare(a.createdAt));
}

/** The matcher silences that cover `alert` at `now` (ms), in the order given. */
export function silencesCovering<S extends Pick<SilenceView, 'createdAt' | 'until' | 'matchers' | 'schedule' | 'occurrence'>>(
  silences: Iterable<S>,
  alert: Pick<AlertView, 'environment' | 'rule' | 'labels'>,
  now: number,
): S[] {
  const covering: S[] = [];
  for (const silence of silences) if (silenceActiveAt(silence, now) && silenceMatches(silence.matchers, alert)) covering.push(silence);
  return covering;
}

/** Whether the alert's own silence is in force at `now` (ms). */
export function alertSilencedAt(view: AlertView, now: number): boolean {
  return view.silenced !== undefined && Date.parse(view.silenced.until) > now;
}
