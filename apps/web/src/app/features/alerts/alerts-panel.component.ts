import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { MatDialog } from '@angular/material/dialog';
import { MatSnackBar } from '@angular/material/snack-bar';
import { can, denialReason, silencesCovering, type Action, type AlertView, type Severity, type SilenceView } from '@vigil/shared';
import { firstValueFrom, type Observable } from 'rxjs';
import { describeHttpError } from '../../core/http-error';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { SessionService } from '../../core/session.service';
import {
  AlertActionDialogComponent,
  type AlertAction,
  type AlertActionDialogData,
  type AlertActionDialogResult,
} from './alert-action-dialog.component';
import { ALERT_PANEL_LIMIT, SEVERITY_LABELS, describeMatchers, panelAlerts, silencedAt, type AlertStateFilter } from './alert-list';
import { AlertTimelineComponent } from './alert-timeline.component';
import { AlertsApiService } from './alerts-api.service';
import { silenceReason, silenceUntil } from './silence-durations';
import { SilencesService } from './silences.service';

const ACK: Action = { kind: 'capability', capability: 'alerts.ack' };
const REPLAY: Action = { kind: 'capability', capability: 'replay' };

/**
 * The latest alerts of the dashboard state (live or replay), firing first, with
 * acknowledge / silence for holders of `alerts.ack` (not in a replay or kiosk) and each alert's
 * timeline on demand. Changes arrive through the stream: nothing is refetched.
 */
@Component({
  selector: 'vg-alerts-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, AlertTimelineComponent],
  templateUrl: './alerts-panel.component.html',
  styleUrl: './alerts-panel.component.css',
})
export class AlertsPanelComponent {
  private readonly source = inject(DASHBOARD_SOURCE);
  private readonly session = inject(SessionService);
  private readonly environments = inject(EnvironmentService);
  private readonly api = inject(AlertsApiService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly silencesService = inject(SilencesService);

  /** Optional filters (the alerts page sets them; the dashboard shows everything). */
  readonly state = input<AlertStateFilter | undefined>(undefined);
  readonly severity = input<Severity | undefined>(undefined);
  readonly limit = input(ALERT_PANEL_LIMIT);

  protected readonly severityLabels = SEVERITY_LABELS;
  protected readonly now = this.source.now;

  protected readonly alerts = computed(() =>
    panelAlerts(
      this.source.state().alerts,
      { environment: this.environments.selected(), state: this.state(), severity: this.severity() },
      this.now(),
      this.limit(),
      this.silencesService.silences(),
    ),
  );
  protected readonly firing = computed(() => this.alerts().filter((alert) => alert.state === 'firing').length);

  /** Set in a replay or a kiosk: no actions at all (and nothing to explain per role). */
  private readonly readOnly = injectReadOnlyReason();
  /** Ack and silence: not read-only, and only with alerts.ack. */
  protected readonly mayAct = computed(() => this.readOnly() === null && can(this.session.user(), ACK));
  /** Why there are no buttons for this role (signed in, without alerts.ack). */
  protected readonly readOnlyReason = computed(() => {
    const user = this.session.user();
    return this.readOnly() === null && user && !can(user, ACK) ? denialReason(user, ACK) : null;
  });
  protected readonly mayReplay = computed(() => can(this.session.user(), REPLAY));
  protected readonly mayOpenIncident = computed(
    () => this.readOnly() === null && can(this.session.user(), { kind: 'capability', capability: 'incidents.manage' }),
  );

  /** The alert whose timeline is open. */
  protected readonly open = signal<string | null>(null);
  /** Alerts with an action on its way to the server. */
  protected readonly busy = signal<ReadonlySet<string>>(new Set());

  constructor() {
    // Matcher silences come over HTTP; load them again when a new silence is folded in.
    effect(() => {
      this.silencesService.follow(this.source);
    });
  }

  protected silencedNow(alert: AlertView): boolean {
    return silencedAt(alert, this.silencesService.silences(), this.now());
  }

  /** The matcher silences covering the alert at the panel's clock (its own silence aside). */
  protected matcherSilences(alert: AlertView): SilenceView[] {
    return silencesCovering(this.silencesService.silences(), alert, this.now());
  }

  protected readonly describeMatchers = describeMatchers;

  protected toggle(alertId: string): void {
    this.open.update((current) => (current === alertId ? null : alertId));
  }

  protected async acknowledge(alert: AlertView): Promise<void> {
    const result = await this.ask('acknowledge', alert);
    if (result) await this.run(alert, 'acknowledge', this.api.acknowledge(alert.alertId, result.comment));
  }

  protected async silence(alert: AlertView): Promise<void> {
    const result = await this.ask('silence', alert);
    if (!result) return;
    const until = silenceUntil(result.duration, Date.now());
    await this.run(alert, 'silence', this.api.silence(alert.alertId, until, silenceReason(result.comment, result.duration)));
  }

  private async ask(action: AlertAction, alert: AlertView): Promise<AlertActionDialogResult | undefined> {
    if (!this.mayAct() || this.busy().has(alert.alertId)) return undefined;
    const { alertId, message, rule, source, environment, severity } = alert;
    const ref = this.dialog.open<AlertActionDialogComponent, AlertActionDialogData, AlertActionDialogResult>(AlertActionDialogComponent, {
      data: { action, alert: { alertId, message, rule, source, environment, severity } },
      panelClass: 'vg-dialog-panel',
      ariaLabel: `${action === 'acknowledge' ? 'Acknowledge' : 'Silence'} alert ${rule} on ${source}`,
    });
    return firstValueFrom(ref.afterClosed());
  }

  /** Sends one action; the stream brings the change, the snack bar says if it failed. */
  private async run(alert: AlertView, verb: AlertAction, request: Observable<unknown>): Promise<void> {
    this.busy.update((ids) => new Set(ids).add(alert.alertId));
    try {
      await firstValueFrom(request);
    } catch (error) {
      this.snackBar.open(`Could not ${verb} ${alert.rule} on ${alert.source}: ${describeHttpError(error)}`, 'Dismiss', {
        duration: 8_000,
        panelClass: 'vg-alert-snack-error',
        politeness: 'assertive',
      });
    } finally {
      this.busy.update((ids) => {
        const rest = new Set(ids);
        rest.delete(alert.alertId);
        return rest;
      });
    }
  }
}
