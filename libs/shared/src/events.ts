import type { NotificationTestedData } from './admin-events';
import type { CommandApprovalRequestedData, CommandApprovedData, CommandExpiredData, CommandRejectedData } from './approval-events';
import type { HostDeclaredData, HostEnrolledData, HostOfflineData, HostOnlineData, HostRevokedData } from './host-events';
import type * as Incident from './incident-events';
import type * as Noise from './noise-events';
import type { Severity } from './severities';
import type { TokenCreatedData, TokenRevokedData } from './token-events';
import type {
  UserCreatedData,
  UserRoleChangedData,
  UserPasswordChangedData,
  UserStatusData,
  UserSessionData,
  UserLoginFailedData,
} from './user-events';

/**
 * The durable event vocabulary. Every change in Vigil is one of these,
 * appended to the log by the event store and never edited afterwards.
 */

export interface Actor {
  id: string;
  username: string;
  roles: string[];
}

export interface EventMeta {
  actor?: Actor;
  ip?: string;
  environment?: string;
  correlationId: string;
  causationId?: string;
  /** Cluster: the node that appended the event (VIGIL_NODE_NAME). */
  node?: string;
  /** Agents: the enrolled host whose agent reported or ran it. */
  host?: string;
  /** API tokens: the token the actor used (its owner is `actor`). */
  token?: { id: string; name: string };
}

export type CommandOutcome = 'completed' | 'failed' | 'cancelled' | 'interrupted';

export interface CommandAcceptedData {
  commandId: string;
  type: string;
  target: string;
  environment: string;
  params: Record<string, unknown>;
  /** sha256 of the canonical request; lets an Idempotency-Key repeat be checked. */
  requestHash: string;
  idempotencyKey?: string;
}
export interface CommandDeniedData {
  commandId: string;
  type: string;
  target: string;
  environment: string;
  reason: string;
}
export interface CommandStartedData {
  commandId: string;
}
export interface CommandOutputData {
  commandId: string;
  /** A batch of lines, in order; `seq` numbers the first line of the batch. */
  seq: number;
  lines: { stream: 'stdout' | 'stderr'; text: string; time: string }[];
}
export interface CommandProgressData {
  commandId: string;
  percent: number;
  step: string;
}
export interface CommandCompletedData {
  commandId: string;
  durationMs: number;
  exitCode?: number;
  result?: Record<string, unknown>;
}
export interface CommandFailedData {
  commandId: string;
  durationMs: number;
  reason: string;
  exitCode?: number;
}
export interface CommandCancelledData {
  commandId: string;
  durationMs: number;
  reason: string;
  by?: string;
}
export interface CommandInterruptedData {
  commandId: string;
  reason: string;
}

export interface ServiceEventData {
  service: string;
  environment: string;
  instance?: number;
  pid?: number;
  [key: string]: unknown;
}
export type AlertComparator = '>' | '>=' | '<' | '<=';

interface AlertRuleBase {
  name: string;
  severity: Severity;
  labels: Record<string, string>;
  /** Placeholders: {{value}} {{threshold}} {{source}} {{environment}} {{metric}} {{rule}}. */
  message: string;
}
export interface ThresholdAlertRule extends AlertRuleBase {
  kind: 'threshold';
  metric: string;
  /** Glob on the sample's source (`*`, `prefix*` or exact). */
  source: string;
  /** Glob on the sample's environment; `*` also matches samples without one. */
  environment: string;
  comparator: AlertComparator;
  threshold: number;
  /** Pending period: the condition must hold this long before the alert fires. */
  forSeconds: number;
  /** Hysteresis: a firing alert resolves only once the value is past this (on the other side). */
  clearThreshold?: number;
  /** Hysteresis: a firing alert keeps firing this long after the condition last held. */
  keepFiringForSeconds?: number;
}
export interface AbsentAlertRule extends AlertRuleBase {
  kind: 'absent';
  source: string;
  environment: string;
  /** Fires when a source that reported before sends no sample for this long. */
  seconds: number;
}
export interface ServiceAlertRule extends AlertRuleBase {
  kind: 'service';
  service: string;
  environment: string;
  /** `crash`: an unexpected `service.exited`; `restart-loop`: `restarts` policy restarts within `withinMinutes`. */
  trigger: 'crash' | 'restart-loop';
  restarts: number;
  withinMinutes: number;
}
export type AlertRule = ThresholdAlertRule | AbsentAlertRule | ServiceAlertRule;

export interface AlertRaisedData {
  alertId: string;
  /** The rule as it was when the alert fired. */
  rule: AlertRule;
  source: string;
  environment?: string;
  metric: string;
  value: number;
  threshold: number;
  severity: Severity;
  labels: Record<string, string>;
  message: string;
  startedAt: string;
}
export interface AlertResolvedData {
  alertId: string;
  /** The rule's name. */
  rule: string;
  /** The value that resolved it (null when the rule was deleted). */
  value: number | null;
  resolvedAt: string;
  reason?: string;
}
export interface AlertAcknowledgedData {
  alertId: string;
  by: string;
  comment: string;
  /** The acknowledgement lapses then: if the alert still fires, it notifies again (`alert.ack-expired`). */
  expiresAt?: string;
}
/** Silences in matchers, all given fields must match an alert (labels: each given label equal). */
export interface SilenceMatchers {
  environment?: string;
  rule?: string;
  labels?: Record<string, string>;
}
/**
 * One alert silenced (stream `alert-<alertId>`, `alertId` set) or every alert
 * matching `matchers` (stream `silences`, `silenceId` set).
 */
export interface AlertSilencedData {
  silenceId: string;
  alertId?: string;
  matchers?: SilenceMatchers;
  /** A recurring maintenance window (matcher silences only): each cron occurrence (UTC) for `durationMinutes`, until `until`. */
  schedule?: { cron: string; durationMinutes: number };
  until: string;
  reason: string;
  by: string;
}
export interface AlertRuleChangedData {
  name: string;
  /** The whole rule, or null when deleted. */
  rule: AlertRule | null;
  change: 'created' | 'updated' | 'deleted';
}
/** One delivery of a grouped notification to a configured target succeeded. */
export interface NotificationDeliveredData {
  /** Target name from the notifications config. */
  target: string;
  /** Alerts in the delivered message, in the order listed. */
  alertIds: string[];
  /** 1-based attempt that succeeded. */
  attempt: number;
}
/** One delivery attempt failed; `final` means no further attempt will be made. */
export interface NotificationFailedData {
  target: string;
  alertIds: string[];
  attempt: number;
  error: string;
  final: boolean;
}
export interface EventData {
  'command.accepted': CommandAcceptedData;
  'command.denied': CommandDeniedData;
  'command.started': CommandStartedData;
  'command.output': CommandOutputData;
  'command.progress': CommandProgressData;
  'command.completed': CommandCompletedData;
  'command.failed': CommandFailedData;
  'command.cancelled': CommandCancelledData;
  'command.interrupted': CommandInterruptedData;
  'service.started': ServiceEventData;
  'service.stopped': ServiceEventData;
  'service.exited': ServiceEventData;
  'service.scaled': ServiceEventData;
  'service.deployed': ServiceEventData;
  'alert.raised': AlertRaisedData;
  'alert.resolved': AlertResolvedData;
  'alert.acknowledged': AlertAcknowledgedData;
  'alert.silenced': AlertSilencedData;
  'alert-rule.changed': AlertRuleChangedData;
  'notification.delivered': NotificationDeliveredData;
  'notification.failed': NotificationFailedData;
  'user.created': UserCreatedData;
  'user.role-changed': UserRoleChangedData;
  'user.password-changed': UserPasswordChangedData;
  'user.disabled': UserStatusData;
  'user.enabled': UserStatusData;
  'user.logged-in': UserSessionData;
  'user.logged-out': UserSessionData;
  'user.login-failed': UserLoginFailedData;
  'notification.tested': NotificationTestedData;
  'command.approval-requested': CommandApprovalRequestedData;
  'command.approved': CommandApprovedData;
  'command.rejected': CommandRejectedData;
  'command.expired': CommandExpiredData;
  'host.enrolled': HostEnrolledData;
  'host.revoked': HostRevokedData;
  'host.online': HostOnlineData;
  'host.offline': HostOfflineData;
  'host.declared': HostDeclaredData;
  'token.created': TokenCreatedData;
  'token.revoked': TokenRevokedData;
  'incident.opened': Incident.IncidentOpenedData;
  'incident.title-changed': Incident.IncidentTitleChangedData;
  'incident.severity-changed': Incident.IncidentSeverityChangedData;
  'incident.commander-changed': Incident.IncidentCommanderChangedData;
  'incident.status-changed': Incident.IncidentStatusChangedData;
  'incident.window-changed': Incident.IncidentWindowChangedData;
  'incident.noted': Incident.IncidentNotedData;
  'incident.pinned': Incident.IncidentPinnedData;
  'maintenance.marked': Incident.MaintenanceMarkedData;
  'stream.opened': Incident.StreamOpenedData;
  'stream.closed': Incident.StreamClosedData;
  'alert.inhibited': Noise.AlertInhibitedData;
  'alert.ack-expired': Noise.AlertAckExpiredData;
  'notification.escalated': Noise.NotificationEscalatedData;
}

export type EventType = keyof EventData;

export const EVENT_TYPES = [
  'command.accepted',
  'command.denied',
  'command.started',
  'command.output',
  'command.progress',
  'command.completed',
  'command.failed',
  'command.cancelled',
  'command.interrupted',
  'service.started',
  'service.stopped',
  'service.exited',
  'service.scaled',
  'service.deployed',
  'alert.raised',
  'alert.resolved',
  'alert.acknowledged',
  'alert.silenced',
  'alert-rule.changed',
  'notification.delivered',
  'notification.failed',
  'user.created',
  'user.role-changed',
  'user.password-changed',
  'user.disabled',
  'user.enabled',
  'user.logged-in',
  'user.logged-out',
  'user.login-failed',
  'notification.tested',
  'command.approval-requested',
  'command.approved',
  'command.rejected',
  'command.expired',
  'host.enrolled',
  'host.revoked',
  'host.online',
  'host.offline',
  'host.declared',
  'token.created',
  'token.revoked',
  'incident.opened',
  'incident.title-changed',
  'incident.severity-changed',
  'incident.commander-changed',
  'incident.status-changed',
  'incident.window-changed',
  'incident.noted',
  'incident.pinned',
  'maintenance.marked',
  'stream.opened',
  'stream.closed',
  'alert.inhibited',
  'alert.ack-expired',
  'notification.escalated',
] as const satisfies readonly EventType[];

/** What may never leave the server, even to an admin's browser. */
const SECRET_FIELDS: ReadonlySet<string> = new Set(['passwordHash', 'tokenHash']);

/** The event as it goes over the wire: user events lose their password hashes, host and token events their token hashes. */
export function wireEvent(event: StoredEvent): StoredEvent {
  if (!event.type.startsWith('user.') && !event.type.startsWith('token.') && event.type !== 'host.enrolled') return event;
  const data = Object.fromEntries(Object.entries(event.data).filter(([key]) => !SECRET_FIELDS.has(key)));
  return { ...event, data } as unknown as StoredEvent;
}

/** The terminal command events: a command stream ends with exactly one. */
export const COMMAND_TERMINAL_TYPES = [
  'command.completed',
  'command.failed',
  'command.cancelled',
  'command.interrupted',
  'command.rejected',
  'command.expired',
] as const satisfies readonly EventType[];

/** An event before the store has given it a position, version, time and hash. */
export interface NewEvent<T extends EventType = EventType> {
  type: T;
  data: EventData[T];
}

export type StoredEvent<T extends EventType = EventType> = {
  [K in T]: {
    position: number;
    stream: string;
    version: number;
    type: K;
    data: EventData[K];
    meta: EventMeta;
    time: string;
    hash: string;
  };
}[T];

export function isEventOfType<T extends EventType>(event: StoredEvent, type: T): event is Extract<StoredEvent, { type: T }> {
  return event.type === type;
}

export function commandStreamOf(commandId: string): string {
  return `command-${commandId}`;
}
