import {
  alertSilencedAt,
  compareAlerts,
  SEVERITIES,
  silencesCovering,
  type AlertView,
  type Severity,
  type SilenceMatchers,
  type SilenceView,
} from '@vigil/shared';

/** The panel shows at most this many alerts (the dashboard state keeps about as many). */
export const ALERT_PANEL_LIMIT = 50;

/** Most severe first, as the filter lists them. */
export const ALERT_SEVERITIES: readonly Severity[] = [...SEVERITIES].reverse();

export const SEVERITY_LABELS: Record<Severity, string> = {
  critical: 'Critical',
  error: 'Error',
  warning: 'Warning',
  info: 'Info',
};

/** The states the alerts page filters on (the same words GET /api/alerts takes). */
export const ALERT_STATE_FILTERS = ['firing', 'resolved', 'acknowledged', 'silenced'] as const;
export type AlertStateFilter = (typeof ALERT_STATE_FILTERS)[number];

/** "rule=cpu-high, environment=staging, team=ops": what a matcher silence matches. */
export function describeMatchers(matchers: SilenceMatchers): string {
  const { environment, rule, labels } = matchers;
  return [
    ...(rule ? [`rule=${rule}`] : []),
    ...(environment ? [`environment=${environment}`] : []),
    ...Object.entries(labels ?? {}).map(([key, value]) => `${key}=${value}`),
  ].join(', ');
}

/** Silenced at `now`: by its own silence, or by a matcher silence in force then. */
export function silencedAt(alert: AlertView, silences: readonly SilenceView[], now: number): boolean {
  return alertSilencedAt(alert, now) || silencesCovering(silences, alert, now).length > 0;
}

export interface AlertFilters {
  /** The header's environment; undefined = all. Host-wide alerts (no environment) always show. */
  environment?: string;
  state?: AlertStateFilter;
  severity?: Severity;
}

function matches(alert: AlertView, filters: AlertFilters, now: number, silences: readonly SilenceView[]): boolean {
  if (filters.environment !== undefined && alert.environment !== undefined && alert.environment !== filters.environment) return false;
  if (filters.severity !== undefined && alert.severity !== filters.severity) return false;
  switch (filters.state) {
    case undefined:
      return true;
    case 'firing':
    case 'resolved':
      return alert.state === filters.state;
    case 'acknowledged':
      return alert.acknowledged !== undefined;
    case 'silenced':
      return silencedAt(alert, silences, now);
  }
}

/** What the panel lists: the filtered alerts in the API's order (`compareAlerts`: firing first, newest first), at most `limit`. */
export function panelAlerts(
  alerts: readonly AlertView[],
  filters: AlertFilters,
  now: number,
  limit = ALERT_PANEL_LIMIT,
  silences: readonly SilenceView[] = [],
): AlertView[] {
  return alerts
    .filter((alert) => matches(alert, filters, now, silences))
    .sort(compareAlerts)
    .slice(0, limit);
}
