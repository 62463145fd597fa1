/** GET /api/notifications/targets: the configured targets, without their secrets (URLs, passwords). */
export interface NotificationTargetSummary {
  name: string;
  type: 'webhook' | 'email' | 'alertmanager';
  /** Where it goes, safe to show: a webhook's host, an email's recipient count. */
  destination: string;
  format?: string;
}

/** POST /api/notifications/targets/:name/test answers with the recorded outcome. */
export interface NotificationTestResult {
  target: string;
  ok: boolean;
  error?: string;
  position: number;
}
