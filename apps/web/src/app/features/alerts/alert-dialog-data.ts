import type { AlertView } from '@vigil/shared';

/** What the ack and silence dialogs show of the alert they act on. */
export type AlertDialogData = Pick<AlertView, 'alertId' | 'message' | 'rule' | 'source' | 'environment' | 'severity'>;

/** "critical · cpu-high on host (production)" */
export function alertSubject(alert: AlertDialogData): string {
  return `${alert.severity} · ${alert.rule} on ${alert.source}${alert.environment ? ` (${alert.environment})` : ''}`;
}
