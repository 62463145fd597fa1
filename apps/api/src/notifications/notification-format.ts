import { isSeverity, SEVERITIES, type Severity, type StoredEvent } from '@vigil/shared';

/** One alert as it appears in a notification, read defensively from its event. */
export interface AlertNotice {
  status: 'firing' | 'resolved';
  alertId: string;
  rule: string;
  severity?: Severity;
  source?: string;
  environment?: string;
  metric?: string;
  value?: number | string | null;
  threshold?: number | string;
  labels: Record<string, string>;
  message?: string;
  /** When the alert started firing (a resolved notice carries its alert's start). */
  startsAt?: string;
  /** When it resolved (resolved notices only). */
  endsAt?: string;
  /** Event time and log position. */
  time: string;
  position: number;
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function text(value: unknown, max = 500): string | undefined {
  if (typeof value === 'string') return clip(value, max);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function scalar(value: unknown): number | string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return text(value, 100);
}

function severityOf(value: unknown): Severity | undefined {
  return isSeverity(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function ruleName(rule: unknown): string {
  if (typeof rule === 'string' && rule) return clip(rule, 200);
  if (isRecord(rule) && typeof rule.name === 'string' && rule.name) return clip(rule.name, 200);
  return 'unknown rule';
}

function labelsOf(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return labels;
  for (const [key, label] of Object.entries(value).slice(0, 50)) {
    const str = text(label, 200);
    if (str !== undefined) labels[key.slice(0, 100)] = str;
  }
  return labels;
}

/**
 * An `alert.raised` / `alert.resolved` event as read here: every field is checked before
 * use, since a notification must still go out for an event whose data is odd.
 */
type AlertEventAsRead = Pick<StoredEvent<'alert.raised' | 'alert.resolved'>, 'type'> & {
  data?: unknown;
  meta?: { environment?: unknown };
  position?: unknown;
  time?: unknown;
};

/** The alert carried by an `alert.raised` / `alert.resolved` event; never throws on odd data. */
export function noticeFromEvent(event: AlertEventAsRead): AlertNotice {
  const data = isRecord(event.data) ? event.data : {};
  const rule = data.rule;
  const ruleObject = isRecord(rule) ? rule : {};
  const value = data.value;
  const time = typeof event.time === 'string' ? event.time : new Date().toISOString();
  const resolved = event.type === 'alert.resolved';
  return {
    status: resolved ? 'resolved' : 'firing',
    alertId: text(data.alertId, 200) ?? `position-${String(event.position)}`,
    rule: ruleName(rule),
    severity: severityOf(data.severity) ?? severityOf(ruleObject.severity),
    source: text(data.source, 200) ?? text(ruleObject.source, 200),
    environment: text(data.environment, 100) ?? text(event.meta?.environment, 100),
    metric: text(data.metric, 200) ?? text(ruleObject.metric, 200),
    value: value === null ? null : scalar(value),
    threshold: scalar(data.threshold) ?? scalar(ruleObject.threshold),
    labels: labelsOf(data.labels ?? ruleObject.labels),
    message: text(data.message, 2000),
    ...(resolved ? { endsAt: text(data.resolvedAt, 40) ?? time } : { startsAt: text(data.startedAt, 40) ?? time }),
    time,
    position: typeof event.position === 'number' ? event.position : 0,
  };
}

/** What a resolved event lacks (severity, source, …) is taken from the alert it resolves. */
export function enrichResolved(resolved: AlertNotice, raised: AlertNotice | undefined): AlertNotice {
  if (!raised) return resolved;
  return {
    ...resolved,
    severity: resolved.severity ?? raised.severity,
    source: resolved.source ?? raised.source,
    environment: resolved.environment ?? raised.environment,
    metric: resolved.metric ?? raised.metric,
    threshold: resolved.threshold ?? raised.threshold,
    startsAt: resolved.startsAt ?? raised.startsAt,
    labels: Object.keys(resolved.labels).length > 0 ? resolved.labels : raised.labels,
  };
}

export function highestSeverity(alerts: readonly AlertNotice[]): Severity | undefined {
  let best: Severity | undefined;
  for (const alert of alerts) {
    if (alert.severity && (!best || SEVERITIES.indexOf(alert.severity) > SEVERITIES.indexOf(best))) best = alert.severity;
  }
  return best;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `[CRITICAL] 3 alerts firing`, `[CRITICAL] 3 alerts firing, 1 resolved`, `[RESOLVED] 2 alerts resolved`. */
export function summaryLine(alerts: readonly AlertNotice[]): string {
  const firing = alerts.filter((alert) => alert.status === 'firing');
  const resolved = alerts.length - firing.length;
  if (firing.length === 0) return `[RESOLVED] ${plural(resolved, 'alert')} resolved`;
  const tag = (highestSeverity(firing) ?? 'alert').toUpperCase();
  return `[${tag}] ${plural(firing.length, 'alert')} firing${resolved > 0 ? `, ${resolved} resolved` : ''}`;
}

function valueText(alert: AlertNotice): string {
  const value = alert.value === undefined ? '?' : alert.value === null ? 'none' : String(alert.value);
  return alert.threshold === undefined ? value : `${value} (threshold ${alert.threshold})`;
}

/** One plain-text line per alert: severity, rule, source, environment, value, message. */
export function alertLine(alert: AlertNotice): string {
  const state = alert.status === 'resolved' ? 'RESOLVED' : (alert.severity ?? 'unknown').toUpperCase();
  const parts = [
    `${state} ${alert.rule}`,
    `source=${alert.source ?? '-'}`,
    `environment=${alert.environment ?? '-'}`,
    ...(alert.metric ? [`metric=${alert.metric}`] : []),
    `value=${valueText(alert)}`,
  ];
  return `${parts.join('  ')}${alert.message ? `\n    ${alert.message}` : ''}`;
}

export function jsonPayload(target: string, alerts: readonly AlertNotice[]): { target: string; summary: string; alerts: AlertNotice[] } {
  return { target, summary: summaryLine(alerts), alerts: [...alerts] };
}

/** Slack mrkdwn: only &, < and > are special. */
function escapeSlack(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack allows 50 blocks per message; the header and the "and N more" line take two. */
const SLACK_ALERT_BLOCKS = 40;
const SLACK_TEXT_LIMIT = 2900;

export interface SlackPayload {
  text: string;
  blocks: { type: string; text?: { type: string; text: string }; elements?: { type: string; text: string }[] }[];
}

export function slackPayload(alerts: readonly AlertNotice[]): SlackPayload {
  const summary = summaryLine(alerts);
  const blocks: SlackPayload['blocks'] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${escapeSlack(summary)}*` } }];
  for (const alert of alerts.slice(0, SLACK_ALERT_BLOCKS)) {
    const line = escapeSlack(alertLine(alert)).replace(/^(\S+) /, '*$1* ');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line.slice(0, SLACK_TEXT_LIMIT) } });
  }
  if (alerts.length > SLACK_ALERT_BLOCKS) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${alerts.length - SLACK_ALERT_BLOCKS} more` }] });
  }
  // `text` is the notification fallback and what plain incoming webhooks show.
  // Escaped like the blocks: Slack reads `text` as mrkdwn too (`<!channel>`, links).
  const fallback = escapeSlack([summary, ...alerts.map((alert) => alertLine(alert))].join('\n'));
  return { text: fallback.length > SLACK_TEXT_LIMIT ? `${fallback.slice(0, SLACK_TEXT_LIMIT - 1)}…` : fallback, blocks };
}

export function emailContent(alerts: readonly AlertNotice[]): { subject: string; text: string } {
  const subject = summaryLine(alerts);
  const body = [
    subject,
    '',
    ...alerts.map((alert) => `${alertLine(alert)}\n    alert ${alert.alertId} at ${alert.time}`),
    '',
    '-- Vigil',
  ].join('\n');
  return { subject, text: body };
}
