/** GET /api/notifications: every delivery attempt, retry and escalation, from the `notification.*` events. */
export const NOTIFICATION_KINDS = ['delivered', 'failed', 'escalated'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationAttempt {
  position: number;
  time: string;
  kind: NotificationKind;
  /** The target (delivered, failed) or the targets escalated to. */
  targets: string[];
  alertIds: string[];
  attempt?: number;
  error?: string;
  /** A failure after which no further attempt is made. */
  final?: boolean;
  /** Escalations: the step of the route's list and its delay. */
  step?: number;
  afterMinutes?: number;
  environment?: string;
}
