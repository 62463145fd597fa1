/** Events of the administration pages (issue 19). */

/** A "send test message" to a configured notification target, and how it went. */
export interface NotificationTestedData {
  target: string;
  ok: boolean;
  /** Why the delivery failed (absent when ok). */
  error?: string;
}
