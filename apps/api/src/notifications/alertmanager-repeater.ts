import type { AlertmanagerTarget } from '../config/notifications-config.schema';
import { postableAlert } from './alertmanager-format';
import { postJson } from './http-delivery';
import type { AlertNotice } from './notification-format';

/** Firing alerts remembered per Alertmanager; beyond this the oldest stop being re-posted. */
const MAX_FIRING = 10_000;

/** `<base>/api/v2/alerts`, keeping a path prefix the base may have (`http://host/alertmanager`). */
export function alertsEndpoint(base: string): string {
  return new URL('api/v2/alerts', base.endsWith('/') ? base : `${base}/`).toString();
}

/**
 * Alertmanager forgets an alert that is not posted again within its
 * `resolve_timeout`: this keeps the alerts firing for one target and posts them
 * again every `repeatSeconds` until they resolve (the resolution itself, with
 * `endsAt`, goes out through the normal delivery).
 */
export class AlertmanagerRepeater {
  private readonly firing = new Map<string, AlertNotice>();
  private readonly timer: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly target: AlertmanagerTarget,
    private readonly externalUrl: string,
    private readonly timeoutMs: number,
    private readonly onError: (message: string) => void,
  ) {
    this.timer = setInterval(() => {
      void this.repost();
    }, target.repeatSeconds * 1000);
    this.timer.unref();
  }

  /** An alert routed to this target: remembered while firing, forgotten once resolved. */
  track(alert: AlertNotice): void {
    this.firing.delete(alert.alertId);
    if (alert.status === 'resolved') return;
    this.firing.set(alert.alertId, alert);
    if (this.firing.size > MAX_FIRING) {
      const oldest = this.firing.keys().next().value;
      if (oldest !== undefined) this.firing.delete(oldest);
    }
  }

  post(alerts: readonly AlertNotice[]): Promise<void> {
    const body = alerts.map((alert) => postableAlert(alert, this.externalUrl));
    return postJson(alertsEndpoint(this.target.url), body, this.target.headers, this.timeoutMs);
  }

  private async repost(): Promise<void> {
    if (this.busy || this.firing.size === 0) return;
    this.busy = true;
    try {
      await this.post([...this.firing.values()]);
    } catch (error) {
      this.onError(`re-posting ${this.firing.size} firing alert(s): ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
