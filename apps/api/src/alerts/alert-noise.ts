import type { AlertRaisedData, AlertView, StoredEvent } from '@vigil/shared';
import type { InhibitRule } from '../config/alert-rules.schema';

/**
 * Less noise, decided without I/O: inhibition (Alertmanager's model: while a
 * source alert fires, target alerts with equal values of the `equal` labels are
 * recorded as inhibited and not notified) and acknowledgements that lapse.
 */

/**
 * The defaults: a host that went offline inhibits the alerts of that host (applies once
 * a rule named `host-offline` exists, e.g. the agents' rule); a crashed service inhibits
 * the other alerts of the same service in the same environment (its restart loop, its
 * metrics going absent or out of range).
 */
export const DEFAULT_INHIBITIONS: readonly InhibitRule[] = [
  { name: 'host-offline', source: { alertname: 'host-offline' }, target: {}, equal: ['host'] },
  { name: 'service-crash', source: { kind: 'service', trigger: 'crash' }, target: {}, equal: ['environment', 'source'] },
];

/** What matchers and `equal` see of an alert: its labels, plus alertname, kind, trigger, severity, environment, source, host. */
export function alertLabelSet(
  data: Pick<AlertRaisedData, 'rule' | 'labels' | 'environment' | 'source' | 'severity'>,
): Record<string, string> {
  const labels: Readonly<Record<string, string | undefined>> = data.labels;
  const host = labels.host ?? (data.source.startsWith('host@') ? data.source.slice('host@'.length) : undefined);
  return {
    ...data.labels,
    alertname: data.rule.name,
    kind: data.rule.kind,
    ...(data.rule.kind === 'service' ? { trigger: data.rule.trigger } : {}),
    severity: data.severity,
    source: data.source,
    ...(data.environment === undefined ? {} : { environment: data.environment }),
    ...(host === undefined ? {} : { host }),
  };
}

function valueMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  return pattern.split('|').some((alternative) => {
    const body = alternative.replace(/[.+?^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${body}$`).test(value);
  });
}

/** Every matcher (label: exact value, `*` globs, `a|b` alternatives) holds. */
export function labelsMatch(matchers: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(matchers).every(([name, pattern]) => valueMatches(pattern, labels[name]));
}

export class AlertNoise {
  /** Firing alerts' label sets (alertId → labels), as the log says. */
  private readonly firing = new Map<string, Record<string, string>>();
  /** Ack expiries already appended (an alert's ack lapses once). */
  private readonly expiring = new Set<string>();

  constructor(private readonly rules: readonly InhibitRule[]) {}

  /** Keeps the firing alerts' labels in step with the log. */
  fold(event: StoredEvent): void {
    if (event.type === 'alert.raised') this.firing.set(event.data.alertId, alertLabelSet(event.data));
    else if (event.type === 'alert.resolved') this.firing.delete(event.data.alertId);
    else if (event.type === 'alert.acknowledged') this.expiring.delete(event.data.alertId);
  }

  /** The firing alert (and the rule) that inhibits a newly raised one, if any fires now. */
  inhibitorOf(raised: AlertRaisedData): { byAlertId: string; inhibition: string } | undefined {
    const target = alertLabelSet(raised);
    for (const rule of this.rules) {
      if (!labelsMatch(rule.target, target)) continue;
      // An alert that is itself a source of the rule is not inhibited by it (as in Alertmanager).
      if (labelsMatch(rule.source, target)) continue;
      for (const [alertId, source] of this.firing) {
        if (alertId === raised.alertId || !labelsMatch(rule.source, source)) continue;
        const sourceLabels: Readonly<Record<string, string | undefined>> = source;
        if (rule.equal.every((name) => sourceLabels[name] !== undefined && sourceLabels[name] === target[name]))
          return { byAlertId: alertId, inhibition: rule.name ?? 'inhibit' };
      }
    }
    return undefined;
  }

  /** Firing alerts whose acknowledgement has lapsed at `now` (each once). */
  lapsedAcks(views: Iterable<AlertView>, now: number): AlertView[] {
    const out: AlertView[] = [];
    for (const view of views) {
      const expiresAt = view.acknowledged?.expiresAt;
      if (view.state !== 'firing' || !expiresAt || Date.parse(expiresAt) > now || this.expiring.has(view.alertId)) continue;
      this.expiring.add(view.alertId);
      out.push(view);
    }
    return out;
  }
}
