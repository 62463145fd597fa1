import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal } from '@angular/core';
import { can, dashboardForEnvironment, denialReason, type Action } from '@vigil/shared';
import { AlertRulesService } from '../../core/alert-rules.service';
import { CommandsService } from '../../core/commands.service';
import { describeHttpError } from '../../core/http-error';
import { DASHBOARD_SOURCE } from '../../core/dashboard-source';
import { EnvironmentService } from '../../core/environment.service';
import { KioskService } from '../../core/kiosk.service';
import { injectReadOnlyReason } from '../../core/read-only';
import { SessionService } from '../../core/session.service';
import { ActivityFeedComponent } from '../../ui/activity-feed.component';
import { AlertsPanelComponent } from '../alerts/alerts-panel.component';
import { MetricChartsComponent } from '../charts/metric-charts.component';
import { serviceRows } from './host-metrics';
import { MetricCardsComponent } from './metric-cards.component';
import { metricCardGroups } from './metric-cards';
import { shownEnvironments } from './shown-environments';

type SendState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'sent'; commandId: string } | { kind: 'error'; message: string };

/** What the Send ping button does, as a permission question. */
export const PING_ACTION: Action = { kind: 'command', type: 'ping', target: 'vigil', environment: 'staging' };

/**
 * The dashboard: metric cards, charts, services, alerts, command activity and the
 * latest events, for the environment chosen in the header. Everything comes from
 * DASHBOARD_SOURCE, so the replay page renders this very view; in a replay (or a
 * kiosk) it shows no control.
 */
@Component({
  selector: 'vg-dashboard-view',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, MetricCardsComponent, MetricChartsComponent, AlertsPanelComponent, ActivityFeedComponent],
  templateUrl: './dashboard-view.component.html',
  styleUrl: './dashboard-view.component.css',
})
export class DashboardViewComponent {
  protected readonly source = inject(DASHBOARD_SOURCE);
  private readonly environments = inject(EnvironmentService);
  private readonly session = inject(SessionService);
  private readonly commands = inject(CommandsService);
  private readonly alertRules = inject(AlertRulesService);

  /** Why controls are hidden (replay, kiosk), or null. */
  protected readonly readOnly = injectReadOnlyReason();
  protected readonly kiosk = inject(KioskService);
  protected readonly selected = this.environments.selected;

  /** The state as the header's environment choice filters it. */
  protected readonly state = computed(() => dashboardForEnvironment(this.source.state(), this.environments.selected()));

  protected readonly cardGroups = computed(() => {
    const state = this.state();
    return metricCardGroups(
      state.metrics,
      shownEnvironments(state, this.environments.viewable(), this.environments.selected()),
      this.alertRules.rules(),
    );
  });
  protected readonly rulesError = this.alertRules.error;
  protected readonly services = computed(() => serviceRows(this.state().services));

  protected readonly send = signal<SendState>({ kind: 'idle' });
  protected readonly canPing = computed(() => can(this.session.user(), PING_ACTION));
  protected readonly pingDenial = computed(() => {
    const user = this.session.user();
    return user ? denialReason(user, PING_ACTION) : 'not signed in';
  });

  constructor() {
    // The cards' levels come from the alert rules, as they were at the moment shown.
    effect(() => {
      this.alertRules.follow(this.source);
    });
  }

  protected sendPing(): void {
    if (this.readOnly() || this.send().kind === 'sending' || !this.canPing()) return;
    this.send.set({ kind: 'sending' });
    this.commands.ping('staging').subscribe({
      next: (accepted) => {
        this.send.set({ kind: 'sent', commandId: accepted.commandId });
      },
      error: (error: unknown) => {
        this.send.set({ kind: 'error', message: describeHttpError(error) });
      },
    });
  }
}
