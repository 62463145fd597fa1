import { createHash } from 'node:crypto';
import { alertLine, type AlertNotice } from './notification-format';

/** Alertmanager's "not set" time (Go's zero time), as its webhooks send it for firing alerts. */
const ZERO_TIME = '0001-01-01T00:00:00Z';
/** Label names Alertmanager accepts (the classic Prometheus set). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** An alert as Alertmanager's API v2 (`POST /api/v2/alerts`) takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL: string;
}

/** One alert of the webhook body (version 4). */
export interface WebhookAlert extends Required<PostableAlert> {
  status: 'firing' | 'resolved';
  fingerprint: string;
}

/** The body Alertmanager's webhook receivers get (`version: "4"`). */
export interface AlertmanagerWebhookBody {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: WebhookAlert[];
}

function labelName(key: string): string {
  if (LABEL_NAME.test(key)) return key;
  const cleaned = key.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

/** Identity labels: `alertname` is the rule; then severity, environment, source, metric and the rule's labels. */
export function alertLabels(alert: AlertNotice): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(alert.labels)) labels[labelName(key)] = value;
  labels.alertname = alert.rule;
  if (alert.severity) labels.severity = alert.severity;
  if (alert.environment) labels.environment = alert.environment;
  if (alert.source) labels.source = alert.source;
  if (alert.metric) labels.metric = alert.metric;
  return labels;
}

export function alertAnnotations(alert: AlertNotice): Record<string, string> {
  return {
    summary: alertLine(alert).split('\n')[0] ?? alert.rule,
    ...(alert.message ? { description: alert.message } : {}),
    ...(alert.value !== undefined && alert.value !== null ? { value: String(alert.value) } : {}),
    ...(alert.threshold !== undefined ? { threshold: String(alert.threshold) } : {}),
    vigil_alert_id: alert.alertId,
  };
}

/** A stable id of a label set (Alertmanager's own is a 64-bit hash shown as 16 hex digits). */
export function fingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((key) => `${key}\u0000${labels[key]}`)
    .join('\u0001');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function generatorUrl(externalUrl: string, alert: AlertNotice): string {
  const url = new URL('/alerts', externalUrl);
  url.searchParams.set('alert', alert.alertId);
  return url.toString();
}

/** For `POST /api/v2/alerts`: a firing alert has no `endsAt` (Alertmanager expires it unless re-posted). */
export function postableAlert(alert: AlertNotice, externalUrl: string): PostableAlert {
  return {
    labels: alertLabels(alert),
    annotations: alertAnnotations(alert),
    ...(alert.startsAt ? { startsAt: alert.startsAt } : {}),
    ...(alert.status === 'resolved' ? { endsAt: alert.endsAt ?? alert.time } : {}),
    generatorURL: generatorUrl(externalUrl, alert),
  };
}

/** The pairs every map in `maps` has with the same value. */
function common(maps: readonly Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first).filter(([key, value]) => rest.every((map) => map[key] === value)));
}

/**
 * The webhook body Alertmanager sends (version 4), for `format: alertmanager`: any
 * receiver written for Alertmanager (PagerDuty bridges, chat bots, …) reads it.
 * Vigil groups by target, so `groupLabels` is empty and the group key names the target.
 */
export function alertmanagerWebhookBody(receiver: string, alerts: readonly AlertNotice[], externalUrl: string): AlertmanagerWebhookBody {
  const items: WebhookAlert[] = alerts.map((alert) => {
    const labels = alertLabels(alert);
    return {
      status: alert.status,
      labels,
      annotations: alertAnnotations(alert),
      startsAt: alert.startsAt ?? alert.time,
      endsAt: alert.status === 'resolved' ? (alert.endsAt ?? alert.time) : ZERO_TIME,
      generatorURL: generatorUrl(externalUrl, alert),
      fingerprint: fingerprint(labels),
    };
  });
  return {
    version: '4',
    groupKey: `{}:{receiver="${receiver}"}`,
    truncatedAlerts: 0,
    status: items.some((item) => item.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: {},
    commonLabels: common(items.map((item) => item.labels)),
    commonAnnotations: common(items.map((item) => item.annotations)),
    externalURL: externalUrl,
    alerts: items,
  };
}
