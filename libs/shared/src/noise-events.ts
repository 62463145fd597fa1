/**
 * Less alert noise, as events: inhibited alerts, acknowledgements that expired
 * while the alert still fired, and escalations of unacknowledged alerts.
 */

/** A raised alert held back (not notified) because a matching source alert fires. */
export interface AlertInhibitedData {
  alertId: string;
  /** The firing alert that inhibits it. */
  byAlertId: string;
  /** Index of the inhibition rule in `alerts.inhibit`, or its name for a default one. */
  inhibition: string;
}
export interface AlertAckExpiredData {
  alertId: string;
  /** Who had acknowledged it, and until when. */
  by: string;
  expiredAt: string;
}
export interface NotificationEscalatedData {
  alertId: string;
  /** 0-based step of the route's `escalate` list. */
  step: number;
  afterMinutes: number;
  targets: string[];
}
